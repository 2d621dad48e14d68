import {type Dispatch, useEffect} from 'react';
import type {ResourceFeed} from '../../client/feed.ts';
import type {ScreenEvent} from '../../state/screen.ts';

/** Feeds the containers panel from the live list for as long as the screen is up. */
export function useFeed(feed: ResourceFeed, dispatch: Dispatch<ScreenEvent>): void {
	useEffect(
		() =>
			feed.subscribe({
				synced: items => dispatch({type: 'synced', panel: 'containers', items}),
				upserted: items => dispatch({type: 'upsert', panel: 'containers', items}),
				removed: ids => dispatch({type: 'removed', panel: 'containers', ids}),
				connection: (status, error) => dispatch({type: 'connection', status, error}),
			}),
		[feed, dispatch],
	);
}
