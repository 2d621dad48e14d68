// Charts drawn with braille characters: each character cell holds 2×4 dots, so a chart of H lines
// has 4H levels and two values per column. Pure.

// Dot bits of a braille cell by [column][row from the top].
const dotBits = [
	[0x01, 0x02, 0x04, 0x40],
	[0x08, 0x10, 0x20, 0x80],
];

/** A round number at or above `value`, so that axis labels read well (1, 2, 5 × 10ⁿ). */
export function niceCeiling(value: number): number {
	if (!(value > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
	return 10 * power;
}

export type ChartOptions = {
	/** Whole width in columns, the axis labels included. */
	width: number;
	/** Lines of chart. */
	height: number;
	format: (value: number) => string;
	/** The top of the scale at least this (percentages might start at 100 %). */
	minimumMax?: number;
	/** The round number to use as the top of the scale; niceCeiling unless given. */
	ceiling?: (largest: number) => number;
};

/** niceCeiling in the binary unit the value reads in, so a memory axis says 1000KiB or 2MiB, not 977KiB. */
export function niceBytesCeiling(value: number): number {
	let unit = 1;
	while (value / unit >= 1000 && unit < 1024 ** 4) unit *= 1024;
	return niceCeiling(value / unit) * unit;
}

/**
 * An area chart of the newest values that fit, newest on the right, scaled to the largest shown.
 * The first line carries the top of the scale and the last line zero, right-aligned in a label
 * column left of the plot.
 */
export function brailleChart(values: readonly number[], options: ChartOptions): string[] {
	const height = Math.max(1, options.height);
	const topLabel = options.format(0);
	const labelWidth = Math.max(4, Math.min(10, Math.floor(options.width / 5)));
	const plotColumns = Math.max(1, options.width - labelWidth - 1);
	const shown = values.slice(-plotColumns * 2);
	const largest = shown.reduce((max, value) => Math.max(max, value), 0);
	const max = (options.ceiling ?? niceCeiling)(Math.max(largest, options.minimumMax ?? 0));
	const levels = height * 4;

	// Cells as bit masks, filled right to left from the newest value.
	const cells = Array.from({length: height}, () => new Array<number>(plotColumns).fill(0));
	const offset = plotColumns * 2 - shown.length;
	for (let index = 0; index < shown.length; index++) {
		const value = shown[index]!;
		const dots = value > 0 ? Math.max(1, Math.round((Math.min(value, max) / max) * levels)) : 0;
		const dotColumn = offset + index;
		const column = Math.floor(dotColumn / 2);
		const side = dotColumn % 2;
		for (let level = 0; level < dots; level++) {
			const rowFromBottom = Math.floor(level / 4);
			const line = height - 1 - rowFromBottom;
			const dotRow = 3 - (level % 4);
			cells[line]![column]! |= dotBits[side]![dotRow]!;
		}
	}

	const label = (line: number) => {
		if (line === 0) return options.format(max);
		if (line === height - 1) return topLabel;
		return '';
	};

	return cells.map((row, line) => {
		const text = label(line);
		const clipped = text.length > labelWidth ? text.slice(0, labelWidth) : text;
		return `${clipped.padStart(labelWidth)}┤${String.fromCharCode(...row.map(bits => 0x2800 + bits))}`;
	});
}
