// A session on the real terminal: what is typed goes to the process (watched for the detach
// keys; edited as a line when the process has no TTY), what it prints comes out, a resize of the
// terminal resizes it. Ends when the stream ends, is cut, or the user detaches.
import type {Session} from '../../client/resources/sessions.ts';
import {watchForDetach} from '../../state/hands-on/detach-keys.ts';
import {lineEditor} from '../../state/hands-on/line-editor.ts';
import type {RealTerminal} from './hand-over.ts';

export type SessionEnd = {how: 'ended' | 'detached' | 'cut'; exitCode?: number; cut?: string};

export type SessionOptions = {
	/** The detach keys' bytes; without them only the process's end ends the session. */
	detach?: readonly number[];
	/** Ctrl-C where it cannot reach the process as a byte (no TTY, or no input): sent as a signal instead. */
	interrupt?(): void;
};

export async function runSession(session: Session, terminal: RealTerminal, options: SessionOptions = {}): Promise<SessionEnd> {
	const {input, output} = terminal;
	if (input.isTTY) input.setRawMode(true);
	session.onOutput((bytes, stream) => (stream === 'stderr' ? process.stderr : output).write(bytes));

	const watcher = options.detach ? watchForDetach(options.detach) : undefined;
	const editor = session.tty ? undefined : lineEditor();
	const decoder = new TextDecoder();
	let detach: () => void = () => undefined;
	const detached = new Promise<SessionEnd>(resolve => {
		detach = () => resolve({how: 'detached'});
	});

	const onData = (chunk: Buffer) => {
		const {forward, detach: done} = watcher ? watcher.feed(chunk) : {forward: chunk, detach: false};
		if (forward.length > 0) {
			if (session.tty && session.acceptsInput) {
				session.write(forward);
			} else if (editor && session.acceptsInput) {
				const typed = editor.feed(decoder.decode(forward, {stream: true}));
				if (typed.echo) output.write(typed.echo);
				for (const line of typed.send) session.write(Buffer.from(line));
				if (typed.interrupt) options.interrupt?.();
				if (typed.endOfInput) session.endInput();
			} else if (forward.includes(3)) {
				options.interrupt?.();
			}
		}

		if (done) detach();
	};

	input.on('data', onData);
	input.resume();
	const resize = () => {
		const {columns, rows} = terminal.size();
		void session.resize(columns, rows);
	};

	const offResize = terminal.onResize(resize);
	try {
		const end = await Promise.race([session.ended.then(({cut}): SessionEnd => (cut ? {how: 'cut', cut} : {how: 'ended'})), detached]);
		if (end.how === 'detached') {
			session.close();
			return end;
		}

		return {...end, exitCode: await session.exitCode()};
	} finally {
		input.off('data', onData);
		offResize();
	}
}

/** Waits for one key on the real terminal ("press a key to return"). */
export function waitForKey(terminal: RealTerminal): Promise<void> {
	return new Promise(resolve => {
		if (terminal.input.isTTY) terminal.input.setRawMode(true);
		terminal.input.once('data', () => resolve());
		terminal.input.resume();
	});
}
