// A pull's (or push's) progress stream printed as the docker CLI prints it. On a terminal each
// layer has one line, rewritten in place as it moves on; elsewhere each status is a line of its
// own and the byte counts (Downloading, Extracting) are left out.
import type {PullMessage as ProgressMessage} from '../state/pull-progress.ts';

export class ProgressPrinter {
	private readonly ids: string[] = [];

	constructor(
		private readonly write: (text: string) => void,
		private readonly terminal: boolean,
		/** A line longer than the terminal would wrap and put the rewriting out of step. */
		private readonly columns = 80,
	) {}

	/** Prints one message; returns the error it reports, if it is one. */
	print(message: ProgressMessage): string | undefined {
		const failure = message.errorDetail?.message ?? message.error;
		if (failure) return failure;
		const status = message.status ?? '';
		const counting = message.progressDetail?.current !== undefined;
		if (!message.id) {
			if (status) this.write(`${status}\n`);
			return undefined;
		}

		if (!this.terminal) {
			if (!counting) this.write(`${message.id}: ${status}\n`);
			return undefined;
		}

		const text = `${message.id}: ${status}${counting && message.progress ? ` ${message.progress}` : ''}`.slice(0, Math.max(20, this.columns - 1));
		const index = this.ids.indexOf(message.id);
		if (index === -1) {
			this.ids.push(message.id);
			this.write(`${text}\n`);
			return undefined;
		}

		// Up to the layer's line, rewrite it, and back down.
		const up = this.ids.length - index;
		this.write(`\x1b[${up}A\r\x1b[2K${text}\r\x1b[${up}B`);
		return undefined;
	}
}
