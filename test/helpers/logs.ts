// A container's log read to its end (the container's exit, with follow) as text lines, through
// the client's own reader.
import type Docker from 'dockerode';
import {readLog} from '../../source/client/logs/log-source.ts';

export type TextLine = {stream: 'stdout' | 'stderr'; text: string};

export function collectLogs(docker: Docker, id: string, {tty, tail}: {tty?: boolean; tail?: number} = {}): Promise<TextLine[]> {
	return new Promise((resolve, reject) => {
		const lines: TextLine[] = [];
		readLog(docker, id, {follow: true, tail, tty, timestamps: false}, {
			onEntries: entries => {
				for (const entry of entries) lines.push({stream: entry.stream, text: entry.body.toString('utf8').replace(/\r?\n$/, '')});
			},
			onEnd: failure => (failure ? reject(new Error(failure.message)) : resolve(lines)),
		});
	});
}
