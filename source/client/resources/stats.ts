// Resource readings from the engine: a stream of one record a second for the container whose
// Stats tab is open, one-shot readings for the rows on screen, and the process table.
import type Docker from 'dockerode';
import {daemonMessage} from '../errors.ts';
import {LineSplitter} from '../line-splitter.ts';
import type {StatsRecord} from '../../state/stats.ts';

export type StatsStream = {stop(): void};

/** The calls used here, typed as the engine answers them (dockerode's types overload them loosely). */
type MetricsCalls = {
	stats(options: Record<string, unknown>): Promise<unknown>;
	top(options: Record<string, unknown>): Promise<unknown>;
};

const containerOf = (docker: Docker, id: string) => docker.getContainer(id) as unknown as MetricsCalls;

/** Follows a container's stats (the engine sends one record a second) until stopped or ended. */
export function streamStats(docker: Docker, id: string, handlers: {onRecord(record: StatsRecord): void; onEnd(error?: string): void}): StatsStream {
	const abort = new AbortController();
	let ended = false;
	const end = (error?: string) => {
		if (ended) return;
		ended = true;
		handlers.onEnd(error);
	};

	containerOf(docker, id)
		.stats({stream: true, abortSignal: abort.signal})
		.then(
			stream => {
				const readable = stream as unknown as NodeJS.ReadableStream;
				const lines = new LineSplitter();
				readable.on('data', (chunk: Buffer) => {
					for (const line of lines.push(chunk)) {
						if (!line.trim()) continue;
						try {
							handlers.onRecord(JSON.parse(line) as StatsRecord);
						} catch {
							// A torn or foreign line is skipped; the next second brings another.
						}
					}
				});
				readable.on('end', () => end());
				readable.on('error', (error: Error) => end(abort.signal.aborted ? undefined : daemonMessage(error)));
			},
			(error: unknown) => end(abort.signal.aborted ? undefined : daemonMessage(error)),
		);

	return {
		stop() {
			ended = true;
			abort.abort();
		},
	};
}

/**
 * One reading, returned at once: `one-shot` spares the engine its wait for a second CPU reading,
 * so CPU is computed by the caller from two of these readings.
 */
export async function readStatsOnce(docker: Docker, id: string, signal?: AbortSignal): Promise<StatsRecord> {
	return (await containerOf(docker, id).stats({stream: false, 'one-shot': true, abortSignal: signal})) as StatsRecord;
}

export type ProcessTable = {titles: string[]; processes: string[][]};

/** The container's processes, as `docker top` lists them. */
export async function readProcesses(docker: Docker, id: string): Promise<ProcessTable> {
	const result = (await containerOf(docker, id).top({ps_args: '-o pid,user,pcpu,pmem,rss,etime,args'})) as {Titles?: string[]; Processes?: string[][]};
	return {titles: result.Titles ?? [], processes: result.Processes ?? []};
}
