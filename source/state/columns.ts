// A container's row as fixed-width cells for a given screen width. Pure. Names, images and
// status texts are ASCII by Docker's own rules, so a character is a column here.
import type {Container} from './container.ts';
import {currentStatus} from './status-text.ts';
import {progressWord, type ActionVerb} from './view.ts';

export type ColumnWidths = {name: number; image: number; state: number; status: number; ports: number};

const gap = 1;

export function layoutColumns(width: number): ColumnWidths {
	const state = 11;
	const status = width >= 90 ? 26 : width >= 70 ? 22 : 14;
	const ports = width >= 110 ? Math.min(28, Math.floor(width * 0.18)) : 0;
	const fixed = state + status + ports + gap * (ports ? 4 : 3);
	const rest = Math.max(10, width - fixed);
	const name = Math.max(6, Math.ceil(rest * 0.55));
	const image = Math.max(4, rest - name);
	return {name, image, state, status, ports};
}

export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

export type RowCells = {name: string; image: string; state: string; status: string; ports: string};

export function rowCells(container: Container, widths: ColumnWidths, now: number, pending?: ActionVerb): RowCells {
	return {
		name: fit(container.name, widths.name),
		image: fit(container.image, widths.image),
		state: fit(pending ? `${progressWord[pending]}…` : container.state, widths.state),
		status: fit(currentStatus(container.status, container.statusAt, now), widths.status),
		ports: fit(container.ports, widths.ports),
	};
}

export function headerCells(widths: ColumnWidths): RowCells {
	return {
		name: fit('NAME', widths.name),
		image: fit('IMAGE', widths.image),
		state: fit('STATE', widths.state),
		status: fit('STATUS', widths.status),
		ports: fit('PORTS', widths.ports),
	};
}
