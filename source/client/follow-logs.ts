// Follows one container's logs: the last lines, then new ones as they come. stdout and stderr
// are separated from the multiplexed stream when the container has no TTY, and read raw when it
// has one. Lines are handed over in batches, at most one batch per tick of the stream.
import type Docker from 'dockerode';
import {daemonMessage} from './errors.ts';
import {FrameDecoder, type StreamName} from './log-frames.ts';
import {LineSplitter} from './line-splitter.ts';

export type LogLine = {stream: Exclude<StreamName, 'stdin'>; text: string};

export type FollowLogsOptions = {
	tty: boolean;
	tail: number;
	onLines(lines: LogLine[]): void;
	onEnd(error?: string): void;
};

export function followLogs(docker: Docker, id: string, options: FollowLogsOptions): () => void {
	let stopped = false;
	let source: NodeJS.ReadableStream | undefined;
	const splitters = {stdout: new LineSplitter(), stderr: new LineSplitter()};
	const decoder = new FrameDecoder();

	const take = (chunk: Buffer) => {
		const lines: LogLine[] = [];
		if (options.tty) {
			for (const text of splitters.stdout.push(chunk)) lines.push({stream: 'stdout', text});
		} else {
			for (const frame of decoder.push(chunk)) {
				const stream = frame.stream === 'stderr' ? 'stderr' : 'stdout';
				for (const text of splitters[stream].push(frame.payload)) lines.push({stream, text});
			}
		}

		if (lines.length > 0) options.onLines(lines);
	};

	const finish = (error?: string) => {
		if (stopped) return;
		stopped = true;
		const rest: LogLine[] = [
			...splitters.stdout.end().map(text => ({stream: 'stdout' as const, text})),
			...splitters.stderr.end().map(text => ({stream: 'stderr' as const, text})),
		];
		if (rest.length > 0) options.onLines(rest);
		options.onEnd(error);
	};

	docker
		.getContainer(id)
		.logs({follow: true, stdout: true, stderr: true, tail: options.tail})
		.then(stream => {
			const readable = stream as unknown as NodeJS.ReadableStream;
			if (stopped) {
				(readable as unknown as {destroy(): void}).destroy();
				return;
			}

			source = readable;
			readable.on('data', take);
			readable.on('end', () => finish());
			readable.on('error', error => finish(daemonMessage(error)));
		})
		.catch(error => finish(daemonMessage(error)));

	return () => {
		stopped = true;
		(source as unknown as {destroy?: () => void})?.destroy?.();
	};
}
