import {useEffect, useRef} from 'react';
import type {EngineClient} from '../../client/engine-client.ts';
import type {Figures} from '../../state/list.ts';
import type {ScreenEvent} from '../../state/screen.ts';
import {formatBytes, formatPercent, type Sample, toSample} from '../../state/stats.ts';

type RowMetrics = {cpu?: number; memory?: number};

/** Requests in flight at once, so that a long list does not queue a burst on the engine. */
const concurrency = 4;
/** A new window of rows is read this long after it stops moving. */
const settleMs = 250;

/**
 * CPU and memory for the given containers (the running rows on screen, or every running one
 * while the list is sorted by them), read every `intervalMs` with one-shot readings. CPU comes
 * from two readings in a row of the same container. Containers not asked for cost nothing.
 */
export function useRowMetrics(client: EngineClient, ids: readonly string[], intervalMs: number, dispatch: (event: ScreenEvent) => void): void {
	const previous = useRef(new Map<string, Sample>());
	const shown = useRef<ReadonlyMap<string, RowMetrics>>(new Map());
	const wanted = useRef(ids);
	wanted.current = ids;
	const key = ids.join(',');
	const round = useRef<() => void>(() => undefined);

	useEffect(() => {
		let stopped = false;
		let running = false;
		let again = false;
		let timer: NodeJS.Timeout | undefined;
		const controller = new AbortController();

		const readAll = async () => {
			if (stopped) return;
			if (running) {
				again = true;
				return;
			}

			running = true;
			clearTimeout(timer);
			const targets = [...wanted.current];
			const samples = new Map<string, Sample>();
			let next = 0;
			const worker = async () => {
				while (!stopped && next < targets.length) {
					const id = targets[next++]!;
					try {
						const record = await client.containers.statsOnce(id, controller.signal);
						samples.set(id, toSample(record, previous.current.get(id)));
					} catch {
						// Gone or stopped since it was listed: it simply shows no figures.
					}
				}
			};

			await Promise.all(Array.from({length: Math.min(concurrency, targets.length)}, worker));
			running = false;
			if (stopped) return;
			previous.current = samples;
			const metrics = new Map<string, Figures>();
			for (const [id, sample] of samples) metrics.set(id, {cpu: sample.cpu, memory: sample.memory});
			// Figures that read the same as last time cause no render.
			if (!sameFigures(metrics, shown.current)) {
				shown.current = metrics;
				dispatch({type: 'figures', panel: 'containers', figures: metrics});
			}

			timer = setTimeout(readAll, again ? settleMs : intervalMs);
			again = false;
		};

		round.current = () => {
			clearTimeout(timer);
			timer = setTimeout(readAll, settleMs);
		};

		timer = setTimeout(readAll, 0);
		return () => {
			stopped = true;
			clearTimeout(timer);
			controller.abort();
		};
	}, [client, intervalMs, dispatch]);

	// Rows that came into view are read soon, not at the next round.
	useEffect(() => {
		if (ids.some(id => !previous.current.has(id))) round.current();
	}, [key]);
}

function sameFigures(a: ReadonlyMap<string, RowMetrics>, b: ReadonlyMap<string, RowMetrics>): boolean {
	if (a.size !== b.size) return false;
	for (const [id, value] of a) {
		const other = b.get(id);
		if (!other || formatPercent(value.cpu) !== formatPercent(other.cpu) || formatBytes(value.memory ?? 0) !== formatBytes(other.memory ?? 0)) return false;
	}

	return true;
}
