import {useEffect, useState} from 'react';
import type {EngineClient} from '../../client/engine-client.ts';
import {SampleHistory, toSample} from '../../state/stats.ts';

/** Five minutes of one-second readings. */
const historyLength = 300;
/** Histories kept for containers looked at recently, so going back to one shows its chart again. */
const keptHistories = 8;
const histories = new Map<string, SampleHistory>();

function historyOf(id: string): SampleHistory {
	let history = histories.get(id);
	if (history) histories.delete(id);
	else history = new SampleHistory(historyLength);
	histories.set(id, history);
	for (const old of histories.keys()) {
		if (histories.size <= keptHistories) break;
		histories.delete(old);
	}

	return history;
}

export type StatsView = {history?: SampleHistory; error?: string; version: number};

/** Follows the container's stats while `active` (its Stats tab is showing); one render a reading. */
export function useStatsHistory(client: EngineClient, id: string | undefined, active: boolean, startedAt: string | undefined): StatsView {
	const [view, setView] = useState<StatsView>({version: 0});
	useEffect(() => {
		if (!active || !id) return;
		const history = historyOf(id);
		setView(current => ({history, version: current.version + 1}));
		const stream = client.containers.stats(id, {
			onRecord(record) {
				history.add(toSample(record, history.latest));
				setView(current => ({history, version: current.version + 1}));
			},
			onEnd(error) {
				if (error) setView(current => ({history, error, version: current.version + 1}));
			},
		});
		return () => stream.stop();
	}, [client, id, active, startedAt]);

	return view.history && histories.get(id ?? '') === view.history ? view : {version: view.version};
}
