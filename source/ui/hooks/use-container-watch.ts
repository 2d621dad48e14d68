import type Docker from 'dockerode';
import {type Dispatch, useEffect} from 'react';
import {watchContainers} from '../../client/watch-containers.ts';
import type {ViewEvent} from '../../state/view.ts';

/** Keeps the view's containers live from the engine's event stream for as long as the screen is up. */
export function useContainerWatch(docker: Docker, dispatch: Dispatch<ViewEvent>): void {
	useEffect(
		() =>
			watchContainers(docker, {
				synced: containers => dispatch({type: 'synced', containers}),
				upserted: containers => dispatch({type: 'upsert', containers}),
				removed: ids => dispatch({type: 'removed', ids}),
				connection: (status, error) => dispatch({type: 'connection', status, error}),
			}),
		[docker, dispatch],
	);
}
