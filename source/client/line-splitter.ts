// Bytes to lines: UTF-8 decoded across chunk boundaries (a character split between two chunks
// comes out whole), with a cap on a line's length so a stream with no newline cannot grow forever.
import {StringDecoder} from 'node:string_decoder';

export class LineSplitter {
	private readonly decoder = new StringDecoder('utf8');
	private partial = '';

	constructor(private readonly maxLineLength = 64 * 1024) {}

	/** Complete lines in this chunk (without their newline). */
	push(chunk: Buffer): string[] {
		const text = this.partial + this.decoder.write(chunk);
		const lines = text.split('\n');
		this.partial = lines.pop() ?? '';
		if (this.partial.length > this.maxLineLength) {
			lines.push(this.partial);
			this.partial = '';
		}

		return lines.map(line => (line.endsWith('\r') ? line.slice(0, -1) : line));
	}

	/** What is left when the stream ends. */
	end(): string[] {
		const rest = this.partial + this.decoder.end();
		this.partial = '';
		return rest ? [rest] : [];
	}
}
