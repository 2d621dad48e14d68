// The Engine API's multiplexed stream (used for logs, attach and exec when the container has no
// TTY): an 8-byte header (stream type, three zero bytes, big-endian payload length) before each
// payload. Frames arrive split across chunks at any byte, so the decoder keeps what it has not used.

export type StreamName = 'stdin' | 'stdout' | 'stderr';
export type Frame = {stream: StreamName; payload: Buffer};

const names: Record<number, StreamName> = {0: 'stdin', 1: 'stdout', 2: 'stderr'};

export class FrameDecoder {
	private buffered: Buffer = Buffer.alloc(0);
	private raw = false;

	push(chunk: Buffer): Frame[] {
		if (this.raw) return [{stream: 'stdout', payload: chunk}];
		this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
		const frames: Frame[] = [];
		let offset = 0;
		while (this.buffered.length - offset >= 8) {
			const type = this.buffered[offset]!;
			const length = this.buffered.readUInt32BE(offset + 4);
			const stream = names[type];
			if (!stream) {
				// Not a multiplexed stream after all: hand the rest over as it is.
				this.raw = true;
				frames.push({stream: 'stdout', payload: this.buffered.subarray(offset)});
				offset = this.buffered.length;
				break;
			}

			if (this.buffered.length - offset - 8 < length) break;
			frames.push({stream, payload: this.buffered.subarray(offset + 8, offset + 8 + length)});
			offset += 8 + length;
		}

		this.buffered = this.buffered.subarray(offset);
		return frames;
	}
}
