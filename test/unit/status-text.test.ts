import assert from 'node:assert/strict';
import {test} from 'node:test';
import {humanDuration, parseHumanDuration} from '../../source/shared/durations.ts';
import {currentStatus} from '../../source/state/status-text.ts';

test('Docker durations read back into seconds', () => {
	assert.equal(parseHumanDuration('Less than a second'), 0);
	assert.equal(parseHumanDuration('45 seconds'), 45);
	assert.equal(parseHumanDuration('About a minute'), 60);
	assert.equal(parseHumanDuration('3 minutes'), 180);
	assert.equal(parseHumanDuration('About an hour'), 3600);
	assert.equal(parseHumanDuration('2 days'), 172_800);
	assert.equal(parseHumanDuration('soon'), undefined);
});

test('durations are worded as Docker words them', () => {
	assert.equal(humanDuration(0.5), 'Less than a second');
	assert.equal(humanDuration(1), '1 second');
	assert.equal(humanDuration(1.7), '1 second');
	assert.equal(humanDuration(59), '59 seconds');
	assert.equal(humanDuration(90), 'About a minute');
	assert.equal(humanDuration(600), '10 minutes');
	assert.equal(humanDuration(3600), 'About an hour');
	assert.equal(humanDuration(5 * 3600), '5 hours');
	assert.equal(humanDuration(3 * 86_400), '3 days');
});

test('an uptime advances with the clock, keeping the health suffix', () => {
	assert.equal(currentStatus('Up 5 seconds', 0, 60_000), 'Up About a minute');
	assert.equal(currentStatus('Up 2 minutes (healthy)', 0, 180_000), 'Up 5 minutes (healthy)');
	assert.equal(currentStatus('Exited (1) 3 minutes ago', 0, 600_000), 'Exited (1) 13 minutes ago');
	assert.equal(currentStatus('Created', 0, 600_000), 'Created');
	assert.equal(currentStatus('Up 5 seconds', 1000, 1500), 'Up 5 seconds');
});
