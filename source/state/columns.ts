// A container's row as fixed-width cells for a given screen width. Pure. Names, images and
// status texts are ASCII by Docker's own rules, so a character is a column here.
import type {Container} from './container.ts';
import {currentStatus} from './status-text.ts';
import type {RowMetrics, Sort} from './rows.ts';
import {formatBytes, formatPercent} from './stats.ts';
import {progressWord, type ActionVerb} from './view.ts';

export type ColumnWidths = {name: number; image: number; state: number; status: number; cpu: number; memory: number; ports: number};

const gap = 1;

export function layoutColumns(width: number): ColumnWidths {
	// Wide enough for the longest pending word, "restarting…".
	const state = 11;
	const status = width >= 100 ? 26 : width >= 90 ? 22 : width >= 70 ? 16 : 14;
	// CPU and memory once there is room for the names beside them.
	const cpu = width >= 60 ? 6 : 0;
	const memory = width >= 60 ? 7 : 0;
	const ports = width >= 120 ? Math.min(28, Math.floor(width * 0.18)) : 0;
	const columns = [state, status, cpu, memory, ports].filter(Boolean).length;
	const fixed = state + status + cpu + memory + ports + gap * (columns + 1);
	const rest = Math.max(10, width - fixed);
	const name = Math.max(6, Math.ceil(rest * 0.55));
	const image = Math.max(4, rest - name);
	return {name, image, state, status, cpu, memory, ports};
}

export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

export type RowCells = {name: string; image: string; state: string; status: string; cpu: string; memory: string; ports: string};

/** Right-aligned, for figures. */
function fitRight(text: string, width: number): string {
	return text.length <= width ? text.padStart(width) : fit(text, width);
}

export function rowCells(container: Container, widths: ColumnWidths, now: number, pending?: ActionVerb, metrics?: RowMetrics): RowCells {
	const up = container.state === 'running';
	return {
		name: fit(container.name, widths.name),
		image: fit(container.image, widths.image),
		state: fit(pending ? `${progressWord[pending]}…` : container.state, widths.state),
		status: fit(currentStatus(container.status, container.statusAt, now), widths.status),
		cpu: fitRight(up && metrics?.cpu !== undefined ? formatPercent(metrics.cpu) : '', widths.cpu),
		memory: fitRight(up && metrics?.memory !== undefined ? formatBytes(metrics.memory) : '', widths.memory),
		ports: fit(container.ports, widths.ports),
	};
}

/** The cells of a row in screen order, joined by the gap; columns too narrow to show are left out. */
export function joinCells(cells: RowCells, widths: ColumnWidths): string {
	const parts = [cells.name, cells.image, cells.state, cells.status];
	if (widths.cpu) parts.push(cells.cpu, cells.memory);
	if (widths.ports) parts.push(cells.ports);
	return parts.join(' ');
}

/** Column titles; the column the list is sorted by carries an arrow (↑ ascending, ↓ descending). */
export function headerCells(widths: ColumnWidths, sort?: Sort): RowCells {
	const arrow = (column: Sort['key'], naturallyAscending: boolean) => {
		if (!sort || sort.key !== column) return '';
		return naturallyAscending !== sort.reverse ? '↑' : '↓';
	};

	return {
		name: fit(`NAME${arrow('name', true)}`, widths.name),
		image: fit('IMAGE', widths.image),
		state: fit(`STATE${arrow('state', true)}`, widths.state),
		// Age is read from the status column ("Up 3 hours").
		status: fit(`STATUS${arrow('created', false)}`, widths.status),
		cpu: fitRight(`CPU${arrow('cpu', false)}`, widths.cpu),
		memory: fitRight(`MEM${arrow('memory', false)}`, widths.memory),
		ports: fit('PORTS', widths.ports),
	};
}
