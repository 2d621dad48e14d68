// A pull's progress from the engine's JSON messages (state/pull-progress.ts).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyPullMessage, finishPull, pullLines, startPull} from '../../source/state/pull-progress.ts';

test('messages about a layer update its line; the rest are notes; an error ends it', () => {
	let progress = startPull('alpine:3');
	progress = applyPullMessage(progress, {status: 'Pulling from library/alpine', id: '3'});
	progress = applyPullMessage(progress, {status: 'Pulling fs layer', id: '0123456789ab', progressDetail: {}});
	progress = applyPullMessage(progress, {status: 'Downloading', id: '0123456789ab', progressDetail: {current: 1_000_000, total: 4_000_000}});
	progress = applyPullMessage(progress, {status: 'Waiting', id: 'ba9876543210', progressDetail: {}});
	assert.deepEqual(progress.layers.map(layer => [layer.id, layer.status, layer.current]), [['0123456789ab', 'Downloading', 1_000_000], ['ba9876543210', 'Waiting', undefined]]);
	assert.deepEqual(progress.notes, ['3: Pulling from library/alpine']);
	const lines = pullLines(progress, 100);
	assert.equal(lines[0], 'Pulling alpine:3…');
	assert.match(lines[2]!, /^0123456789ab: Downloading \[=*> *\] 1\.0MB\/4\.0MB$/);
	progress = applyPullMessage(progress, {errorDetail: {message: 'unauthorized'}, error: 'unauthorized'});
	assert.equal(progress.done, true);
	assert.equal(progress.error, 'unauthorized');
	assert.equal(pullLines(progress, 100).at(-1), 'error: unauthorized');
	assert.match(pullLines(finishPull(startPull('x')), 80)[0]!, /done$/);
});
