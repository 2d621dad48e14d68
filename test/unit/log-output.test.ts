// Pure parts of `berth logs`: times as docker takes them, smart case, merging, resuming, flags.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {apiTime, compareTimes, cutTimestamp, RawEntryReader} from '../../source/client/logs/log-source.ts';
import {parseLogsArgs} from '../../source/cli/logs-command.ts';
import {mergeByTime, namePrefix, ResumePoint, smartCaseRegExp, wantColour} from '../../source/state/log-output.ts';
import {parseDuration, parseTimeSpec} from '../../source/state/time-spec.ts';

test('times: durations back from now, RFC 3339, dates, epoch seconds; nonsense is refused', () => {
	const now = Date.parse('2026-11-24T10:00:00Z');
	assert.equal(parseDuration('1h30m'), 5400);
	assert.equal(parseDuration('250ms'), 0.25);
	assert.equal(parseDuration('10'), undefined);
	assert.equal(parseTimeSpec('10m', now), `${now / 1000 - 600}.000000000`);
	assert.equal(parseTimeSpec('1.5h', now), `${now / 1000 - 5400}.000000000`);
	assert.equal(parseTimeSpec('2026-11-24T09:00:00.5Z', now), `${now / 1000 - 3600}.500000000`);
	assert.equal(parseTimeSpec('2026-11-24T09:00:00+01:00', now), `${now / 1000 - 7200}.000000000`);
	assert.equal(parseTimeSpec('1700000000.25'), '1700000000.250000000');
	assert.match(String(parseTimeSpec('2026-11-24', now)), /^\d+\.0{9}$/);
	assert.ok(parseTimeSpec('yesterday-ish') instanceof Error);
	assert.ok(parseTimeSpec('10 minutes') instanceof Error);
});

test('daemon times compare to the nanosecond and convert to the API\'s seconds', () => {
	assert.equal(apiTime('2026-11-24T10:00:00.000000001Z'), `${Date.parse('2026-11-24T10:00:00Z') / 1000}.000000001`);
	assert.ok(compareTimes('2026-11-24T10:00:00.000000001Z', '2026-11-24T10:00:00.000000002Z') < 0);
	assert.ok(compareTimes('2026-11-24T10:00:00.9Z', '2026-11-24T10:00:00.10Z') > 0, 'fractions of different lengths');
	assert.ok(compareTimes('2026-11-24T11:00:00+01:00', '2026-11-24T10:00:00.5Z') < 0, 'zones');
	assert.equal(compareTimes('2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z'), 0);
});

test('entries: the timestamp is cut off; raw TTY streams are split at newlines, across chunks', () => {
	const {time, body} = cutTimestamp(Buffer.from('2026-11-24T10:00:00.123456789Z hello world\n'));
	assert.equal(time, '2026-11-24T10:00:00.123456789Z');
	assert.equal(body.toString(), 'hello world\n');
	assert.equal(cutTimestamp(Buffer.from('no time here\n')).time, '');
	const reader = new RawEntryReader();
	const first = reader.push(Buffer.from('2026-11-24T10:00:00.1Z one\r\n2026-11-24T10:00:00.2Z tw'));
	assert.deepEqual(first.map(entry => entry.body.toString()), ['one\r\n']);
	const second = reader.push(Buffer.from('o\r\n'));
	assert.deepEqual(second.map(entry => [entry.time, entry.body.toString()]), [['2026-11-24T10:00:00.2Z', 'two\r\n']]);
	assert.deepEqual(reader.end(), []);
});

test('merging keeps time order and, for equal times, the order of the lists', () => {
	const a = [{time: '2026-01-01T00:00:01Z', v: 'a1'}, {time: '2026-01-01T00:00:03Z', v: 'a3'}];
	const b = [{time: '2026-01-01T00:00:01Z', v: 'b1'}, {time: '2026-01-01T00:00:02Z', v: 'b2'}];
	assert.deepEqual(mergeByTime([a, b], compareTimes).map(entry => entry.v), ['a1', 'b1', 'b2', 'a3']);
	assert.deepEqual(mergeByTime([[], b], compareTimes).map(entry => entry.v), ['b1', 'b2']);
});

test('a resumed follow drops what was printed already, even lines that share a time', () => {
	const point = new ResumePoint(compareTimes);
	for (const time of ['2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z']) point.printed(time);
	point.resume();
	const again = ['2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:03Z'];
	assert.deepEqual(again.map(time => point.seen(time)), [true, true, true, false, false]);
	// Past the point it resumed at, an older line (the other stream, stamped apart) is new.
	assert.equal(point.seen('2026-01-01T00:00:02.5Z'), false);
});

test('a first follow drops nothing: stderr stamped before a stdout line printed already is new', () => {
	const point = new ResumePoint(compareTimes);
	point.printed('2026-01-01T00:00:02Z');
	assert.equal(point.seen('2026-01-01T00:00:01Z'), false);
});

test('smart case, prefixes and colour choice', () => {
	assert.equal((smartCaseRegExp('error') as RegExp).flags, 'i');
	assert.equal((smartCaseRegExp('Error') as RegExp).flags, '');
	assert.match(String(smartCaseRegExp('(unclosed')), /invalid regular expression "\(unclosed"/);
	assert.equal(namePrefix('web', 5, undefined), 'web   | ');
	assert.equal(namePrefix('web', 3, 36), '\u001B[36mweb |\u001B[0m ');
	assert.equal(wantColour(true, {}, false), true);
	assert.equal(wantColour(true, {NO_COLOR: '1'}, false), false);
	assert.equal(wantColour(false, {}, false), false);
	assert.equal(wantColour(true, {}, true), false);
});

test('berth logs flags: clear refusals before anything connects', () => {
	const refuse = (args: string[], message: RegExp) => assert.throws(() => parseLogsArgs(args, {}, false), message);
	refuse([], /name at least one container/);
	refuse(['--tail', 'ten', 'web'], /invalid --tail "ten"/);
	refuse(['--since', 'soon', 'web'], /invalid time "soon"/);
	refuse(['--grep', '[', 'web'], /invalid regular expression/);
	refuse(['-p', 'shop', 'web'], /not both/);
	refuse(['--frobnicate', 'web'], /unknown option --frobnicate/);
	refuse(['--tail'], /needs a value/);
	const options = parseLogsArgs(['-f', '-n', '5', '-t', '-p', 'shop', '--label', 'tier=web'], {}, true);
	assert.ok(options !== 'help');
	assert.deepEqual([options.follow, options.tail, options.timestamps, options.colour, options.labels], [true, 5, true, true, ['tier=web', 'com.docker.compose.project=shop']]);
	assert.equal(parseLogsArgs(['--tail', 'all', 'web'], {}, false) !== 'help' && (parseLogsArgs(['--tail', 'all', 'web'], {}, false) as {tail?: number}).tail, undefined);
});
