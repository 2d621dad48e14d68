import {type Dispatch, useEffect} from 'react';
import type {ContainerFeed} from '../../client/container-feed.ts';
import type {ViewEvent} from '../../state/view.ts';

/** Feeds the view from the live container list for as long as the screen is up. */
export function useContainerWatch(feed: ContainerFeed, dispatch: Dispatch<ViewEvent>): void {
	useEffect(
		() =>
			feed.subscribe({
				synced: containers => dispatch({type: 'synced', containers}),
				upserted: containers => dispatch({type: 'upsert', containers}),
				removed: ids => dispatch({type: 'removed', ids}),
				connection: (status, error) => dispatch({type: 'connection', status, error}),
			}),
		[feed, dispatch],
	);
}
