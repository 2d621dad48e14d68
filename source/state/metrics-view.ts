// The Stats and Top tabs as lines of text for a given pane size. Pure.
import {brailleChart, niceBytesCeiling} from './chart.ts';
import {formatBytes, formatPercent, ratePerSecond, type Sample} from './stats.ts';

const perSecond = (bytes: number) => `${formatBytes(bytes)}/s`;

/** How many seconds the samples span, as "2m10s" or "45s". */
function span(samples: readonly Sample[]): string {
	if (samples.length < 2) return '';
	const seconds = Math.round((samples.at(-1)!.at - samples[0]!.at) / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * Current figures on top, then CPU and memory charts over the samples kept: side by side when the
 * pane is wide, one above the other when it is tall enough, CPU alone when it is small.
 */
export function statsLines(samples: readonly Sample[], width: number, height: number, running: boolean): string[] {
	const latest = samples.at(-1);
	if (!latest) return [running ? 'waiting for the first reading…' : 'not running: no figures'];
	const previous = samples.at(-2);
	const ms = previous ? latest.at - previous.at : 0;
	const limit = latest.memoryLimit > 0 ? ` / ${formatBytes(latest.memoryLimit)} (${formatPercent((latest.memory / latest.memoryLimit) * 100)})` : '';
	const figures = [
		`CPU ${formatPercent(latest.cpu)}   MEM ${formatBytes(latest.memory)}${limit}   PIDS ${latest.pids}`,
		`NET ↓${perSecond(previous ? ratePerSecond(latest.rx, previous.rx, ms) : 0)} ↑${perSecond(previous ? ratePerSecond(latest.tx, previous.tx, ms) : 0)}` +
			` (${formatBytes(latest.rx)} / ${formatBytes(latest.tx)})` +
			`   BLOCK r ${perSecond(previous ? ratePerSecond(latest.blockRead, previous.blockRead, ms) : 0)} w ${perSecond(previous ? ratePerSecond(latest.blockWrite, previous.blockWrite, ms) : 0)}`,
	];
	const room = height - figures.length;
	if (room < 3) return figures;

	const cpu = samples.map(sample => sample.cpu ?? 0);
	const memory = samples.map(sample => sample.memory);
	const over = span(samples);
	const cpuTitle = `CPU %${over ? ` · last ${over}` : ''}`;
	const memoryTitle = `MEM${over ? ` · last ${over}` : ''}`;
	const cpuChart = (chartWidth: number, chartHeight: number) =>
		brailleChart(cpu, {width: chartWidth, height: chartHeight, format: value => `${Number(value.toFixed(1))}%`, minimumMax: 5});
	const memoryChart = (chartWidth: number, chartHeight: number) => brailleChart(memory, {width: chartWidth, height: chartHeight, format: formatBytes, ceiling: niceBytesCeiling});

	if (width >= 90) {
		const half = Math.floor((width - 2) / 2);
		const chartHeight = room - 1;
		const left = cpuChart(half, chartHeight);
		const right = memoryChart(width - 2 - half, chartHeight);
		return [...figures, `${cpuTitle.padEnd(half + 2)}${memoryTitle}`, ...left.map((line, index) => `${line}  ${right[index]}`)];
	}

	if (room >= 8) {
		const cpuHeight = Math.floor((room - 2) / 2);
		return [...figures, cpuTitle, ...cpuChart(width, cpuHeight), memoryTitle, ...memoryChart(width, room - 2 - cpuHeight)];
	}

	return [...figures, cpuTitle, ...cpuChart(width, room - 1)];
}

/** The process table with columns sized to their widest cell; the last column (the command) takes the rest. */
export function topLines(titles: readonly string[], processes: readonly string[][]): string[] {
	if (titles.length === 0) return [];
	const widths = titles.map((title, column) => Math.max(title.length, ...processes.map(process => (process[column] ?? '').length)));
	const numeric = titles.map((_, column) => processes.length > 0 && processes.every(process => /^[\d.:-]*$/.test(process[column] ?? '')));
	const format = (cells: readonly string[]) =>
		cells
			.map((cell, column) => {
				if (column === titles.length - 1) return cell;
				return numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
			})
			.join('  ');
	return [format(titles), ...processes.map(process => format(process))];
}
