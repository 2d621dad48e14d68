import {type Dispatch, useEffect, useRef, useState} from 'react';
import type {EngineClient, WatchedKind} from '../../client/engine-client.ts';
import type {PanelKind} from '../../state/panels/panel.ts';
import type {ScreenEvent} from '../../state/screen.ts';

/** Kinds whose list is costly to read: watched only while their panel shows. */
const onlyWhileShown = new Set<PanelKind>(['disk']);

/**
 * The lists of the panels other than containers, read only once their panel is first shown and
 * kept live from then on by their events (disk usage, costly on dockerd, only while it shows).
 * An engine without the endpoint gets one line saying so, not an empty list. `needed` is a list
 * read though its panel is not in front.
 */
export function usePanelData(client: EngineClient, panel: PanelKind, dispatch: Dispatch<ScreenEvent>, eventsPaused: boolean, needed?: PanelKind): void {
	const [visited, setVisited] = useState<ReadonlySet<PanelKind>>(() => new Set([panel]));
	if (!visited.has(panel)) setVisited(new Set([...visited, panel]));
	// Another panel's list wanted here (the images, for the run form to complete from).
	else if (needed && !visited.has(needed)) setVisited(new Set([...visited, needed]));
	const watched = [...visited].filter(kind => kind !== 'containers' && kind !== 'events' && (!onlyWhileShown.has(kind) || kind === panel)) as WatchedKind[];
	const key = watched.sort().join(',');

	useEffect(() => {
		const stops = watched.map(kind =>
			client.feed.watch(client.listers[kind] as never, {
				synced: (items: never[]) => dispatch({type: 'synced', panel: kind, items}),
				failed: error => dispatch({type: 'problem', panel: kind, text: error.unsupported ? `${client.label} does not offer ${kind === 'disk' ? 'disk usage' : kind}` : error.message}),
			}),
		);
		return () => {
			for (const stop of stops) stop();
		};
		// The set of watched kinds is the key.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [client, dispatch, key]);

	// Events: what was kept before the panel opened, then each burst as it comes.
	const eventsOpen = visited.has('events');
	const paused = useRef(eventsPaused);
	useEffect(() => {
		if (!eventsOpen) return;
		dispatch({type: 'synced', panel: 'events', items: client.feed.recentEvents()});
		return client.feed.onEvents(items => dispatch({type: 'upsert', panel: 'events', items}));
	}, [client, dispatch, eventsOpen]);

	// Resumed: the events that came meanwhile show again, from what the feed kept.
	useEffect(() => {
		if (paused.current && !eventsPaused && eventsOpen) dispatch({type: 'synced', panel: 'events', items: client.feed.recentEvents()});
		paused.current = eventsPaused;
	}, [client, dispatch, eventsPaused, eventsOpen]);
}
