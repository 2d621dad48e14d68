// Where the panes go for a terminal size. Pure.

export type PaneBox = {
	/** Outer size, borders included. */
	width: number;
	height: number;
	/** Lines for content rows inside (borders, title and header line excluded). */
	rows: number;
	/** Columns inside the borders. */
	innerWidth: number;
};

export type Layout = {mode: 'side' | 'stacked'; list: PaneBox; details: PaneBox; width: number; height: number};

/** Below this the panes cannot show a row each; berth says so instead of drawing a broken frame. */
export const minimumSize = {columns: 50, rows: 13};

/** Chrome inside a pane: two border lines, a title line and a header (or tab) line. */
const paneChrome = 4;

function pane(width: number, height: number): PaneBox {
	return {width, height, rows: Math.max(0, height - paneChrome), innerWidth: Math.max(1, width - 2)};
}

/**
 * Panes side by side on wide terminals, stacked on narrow ones, between the header line and the
 * status line. The whole frame is one line shorter than the terminal: Ink 6 clears the screen on
 * every frame once a frame fills it.
 */
export function computeLayout(columns: number, rows: number): Layout {
	const width = Math.max(20, columns);
	const height = Math.max(8, rows - 1);
	const body = height - 2;
	if (width >= 160) {
		const listWidth = Math.floor(width * 0.6);
		return {mode: 'side', list: pane(listWidth, body), details: pane(width - listWidth, body), width, height};
	}

	const listHeight = Math.max(5, Math.ceil(body / 2));
	return {mode: 'stacked', list: pane(width, listHeight), details: pane(width, body - listHeight), width, height};
}
