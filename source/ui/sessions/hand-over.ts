// The terminal is berth's or a session's, never both. Ink is given stand-ins for standard input
// and output; while a shell runs in a container, the stand-ins go quiet (Ink may render, into
// nothing) and the session has the real terminal. When it ends, berth's screen comes back and
// Ink paints its whole frame again, so the user is exactly where they were.
import {PassThrough, Writable} from 'node:stream';
import type {Screen} from '../terminal.ts';

/** The real terminal, as a session gets it. */
export type RealTerminal = {
	input: NodeJS.ReadStream;
	output: NodeJS.WriteStream;
	size(): {columns: number; rows: number};
	onResize(handler: () => void): () => void;
};

export type TerminalOwner = {
	/** What Ink reads and writes. */
	readonly inkInput: NodeJS.ReadStream;
	readonly inkOutput: NodeJS.WriteStream;
	/** The UI's way of painting its whole frame again (registered once it has mounted). */
	setRepaint(repaint: () => void): void;
	/** Whether a session has the terminal now. */
	busy(): boolean;
	/** Gives the real terminal to `work` and takes it back when it settles, whatever happens. */
	handOver<T>(work: (terminal: RealTerminal) => Promise<T>): Promise<T>;
	/** Stops reading the real input (at exit). */
	release(): void;
};

export function ownTerminal(screen: Screen, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): TerminalOwner {
	let handedOver = false;
	let repaint: (() => void) | undefined;

	// Strings stay strings on the way through: the ASCII fallback for non-UTF-8 locales rewrites
	// text written to the real output.
	const inkOutput = new Writable({
		decodeStrings: false,
		write(chunk: string | Buffer, _encoding, callback) {
			if (!handedOver) output.write(chunk);
			callback();
		},
	}) as unknown as NodeJS.WriteStream & {isTTY: boolean};
	Object.defineProperties(inkOutput, {
		isTTY: {value: true},
		columns: {get: () => output.columns},
		rows: {get: () => output.rows},
	});
	output.on('resize', () => inkOutput.emit('resize'));

	const inkInput = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
	Object.assign(inkInput, {
		isTTY: true,
		isRaw: true,
		setRawMode(mode: boolean) {
			(inkInput as {isRaw: boolean}).isRaw = mode;
			if (!handedOver && input.isTTY) input.setRawMode(mode);
			return inkInput;
		},
		ref() {
			input.ref();
			return inkInput;
		},
		unref() {
			input.unref();
			return inkInput;
		},
	});
	const feed = (chunk: Buffer) => inkInput.write(chunk);
	input.on('data', feed);

	const terminal: RealTerminal = {
		input,
		output,
		size: () => ({columns: output.columns || 80, rows: output.rows || 24}),
		onResize(handler) {
			output.on('resize', handler);
			return () => output.off('resize', handler);
		},
	};

	return {
		inkInput,
		inkOutput,
		setRepaint(next) {
			repaint = next;
		},
		busy: () => handedOver,
		async handOver(work) {
			if (handedOver) throw new Error('a session already has the terminal');
			handedOver = true;
			input.off('data', feed);
			// Paused, what is typed waits for the session rather than being dropped with no listener.
			input.pause();
			screen.suspend();
			try {
				return await work(terminal);
			} finally {
				screen.resume();
				handedOver = false;
				input.on('data', feed);
				input.resume();
				repaint?.();
			}
		},
		release() {
			input.off('data', feed);
			input.pause();
		},
	};
}
