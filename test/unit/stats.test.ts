// The pure parts of live metrics: figures from stats records (stats.ts), charts (chart.ts), the
// Stats and Top tabs (metrics-view.ts).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {brailleChart, niceBytesCeiling, niceCeiling} from '../../source/state/chart.ts';
import {statsLines, topLines} from '../../source/state/metrics-view.ts';
import {formatBytes, memoryInUse, ratePerSecond, SampleHistory, type StatsRecord, toSample} from '../../source/state/stats.ts';

const record = (cpu: number, system: number, extra: Partial<StatsRecord> = {}): StatsRecord => ({
	read: '2026-11-24T10:00:00Z',
	cpu_stats: {cpu_usage: {total_usage: cpu}, system_cpu_usage: system, online_cpus: 2},
	memory_stats: {usage: 100 * 1024 * 1024, limit: 1024 * 1024 * 1024, stats: {inactive_file: 20 * 1024 * 1024}},
	...extra,
});

test('CPU is computed as docker stats does: from precpu, or from the previous reading', () => {
	const streamed = toSample({...record(1_500_000_000, 12_000_000_000), precpu_stats: {cpu_usage: {total_usage: 1_000_000_000}, system_cpu_usage: 10_000_000_000}});
	// 0.5 s of CPU over 2 s of system time on 2 CPUs: 50 %.
	assert.equal(streamed.cpu, 50);
	const first = toSample(record(1_000_000_000, 10_000_000_000));
	assert.equal(first.cpu, undefined, 'one one-shot reading has no CPU figure');
	const second = toSample(record(3_000_000_000, 14_000_000_000), first);
	assert.equal(second.cpu, 100);
	assert.equal(toSample(record(1, 14_000_000_000), second).cpu, undefined, 'a counter that went back (restart) gives no figure');
});

test('memory leaves out the page cache (v1 and v2 names), and networks and block I/O add up', () => {
	assert.equal(memoryInUse({usage: 100, stats: {inactive_file: 30}}), 70);
	assert.equal(memoryInUse({usage: 100, stats: {total_inactive_file: 40, inactive_file: 10}}), 60);
	assert.equal(memoryInUse({usage: 100, stats: {inactive_file: 300}}), 100);
	const sample = toSample(
		record(0, 0, {
			networks: {eth0: {rx_bytes: 10, tx_bytes: 1}, eth1: {rx_bytes: 5, tx_bytes: 2}},
			blkio_stats: {io_service_bytes_recursive: [{op: 'Read', value: 7}, {op: 'write', value: 3}, {op: 'Total', value: 10}, {op: 'read', value: 1}]},
			pids_stats: {current: 4},
		}),
	);
	assert.deepEqual([sample.rx, sample.tx, sample.blockRead, sample.blockWrite, sample.pids, sample.memory], [15, 3, 8, 3, 4, 80 * 1024 * 1024]);
	assert.equal(ratePerSecond(3000, 1000, 2000), 1000);
	assert.equal(ratePerSecond(10, 1000, 2000), 0);
	assert.deepEqual([formatBytes(0), formatBytes(1536), formatBytes(150 * 1024 * 1024), formatBytes(3.5 * 1024 ** 3)], ['0B', '1.50KiB', '150MiB', '3.50GiB']);
});

test('the sample history keeps the newest readings only', () => {
	const history = new SampleHistory(3);
	for (let index = 0; index < 5; index++) history.add(toSample({...record(index, index), read: new Date(index * 1000).toISOString()}));
	assert.equal(history.samples.length, 3);
	assert.equal(history.latest!.cpuTotal, 4);
	assert.deepEqual(
		history.samples.map(sample => sample.at),
		[2000, 3000, 4000],
	);
});

test('braille charts scale to a round maximum, put the newest value on the right and label the axis', () => {
	assert.deepEqual([niceCeiling(0), niceCeiling(3), niceCeiling(7), niceCeiling(100), niceCeiling(101)], [1, 5, 10, 100, 200]);
	assert.deepEqual([niceBytesCeiling(760 * 1024), niceBytesCeiling(1.5 * 1024 ** 2), niceBytesCeiling(300)], [1000 * 1024, 2 * 1024 ** 2, 500]);
	assert.equal(formatBytes(niceBytesCeiling(40.8 * 1024 ** 2)), '50.0MiB');
	const lines = brailleChart([0, 50, 100], {width: 12, height: 2, format: value => `${value}%`});
	assert.equal(lines.length, 2);
	// 4-column labels, an axis, then 7 cells (14 values): the three values fill the last cells.
	assert.equal(lines[0], '100%┤⠀⠀⠀⠀⠀⠀⢸');
	assert.equal(lines[1], '  0%┤⠀⠀⠀⠀⠀⠀⣿');
	// Values beyond what fits are dropped from the left; nothing exceeds the plot.
	const wide = brailleChart(Array.from({length: 100}, (_, index) => index), {width: 20, height: 3, format: String});
	assert.ok(wide.every(line => [...line].length === 20));
});

test('the Stats tab shows figures, then charts that fit the pane', () => {
	const history = new SampleHistory(60);
	for (let second = 0; second < 10; second++) {
		history.add(toSample({...record(second * 1e9, second * 2e9), read: new Date(1.7e12 + second * 1000).toISOString(), networks: {eth0: {rx_bytes: second * 2048, tx_bytes: 0}}}, history.latest));
	}

	const small = statsLines(history.samples, 78, 6, true);
	assert.equal(small.length, 6);
	assert.match(small[0]!, /^CPU 100%   MEM 80\.0MiB \/ 1\.00GiB \(7\.8%\)   PIDS 0/);
	assert.match(small[1]!, /NET ↓2\.00KiB\/s ↑0B\/s/);
	assert.match(small[2]!, /^CPU % · last 9s/);
	const tall = statsLines(history.samples, 78, 14, true);
	assert.ok(tall.some(line => line.startsWith('MEM · last 9s')), 'memory gets a chart of its own when there is room');
	const wide = statsLines(history.samples, 120, 8, true);
	assert.match(wide[2]!, /^CPU % · last 9s +MEM · last 9s/);
	assert.deepEqual(statsLines([], 78, 6, false), ['not running: no figures']);
});

test('the Top tab aligns columns, numbers to the right, and leaves the command whole', () => {
	const lines = topLines(['PID', 'USER', '%CPU', 'COMMAND'], [['1', 'root', '0.0', 'sh -c sleep 1000'], ['12345', 'nobody', '99.5', 'yes']]);
	assert.deepEqual(lines, ['  PID  USER    %CPU  COMMAND', '    1  root     0.0  sh -c sleep 1000', '12345  nobody  99.5  yes']);
});
