// Carries out a row action on every target: a few at a time, each row's progress and outcome
// reported as it goes, so a bulk stop of fifty containers neither floods the engine nor waits
// for each in turn.
import type {Dispatch} from 'react';
import type {EngineClient} from '../client/engine-client.ts';
import type {Item} from '../state/list.ts';
import type {ImageItem} from '../state/panels/images.ts';
import {panels} from '../state/panels/index.ts';
import type {PanelKind} from '../state/panels/panel.ts';
import type {ScreenEvent} from '../state/screen.ts';
import type {ActionTarget} from './key-handler.ts';

/** Requests in flight at once. */
export const actionConcurrency = 4;

function perform(client: EngineClient, panel: PanelKind, item: Item, verb: string, force: boolean): Promise<void> {
	switch (panel) {
		case 'containers': {
			return client.containers.act(item.id, verb, {force});
		}

		case 'images': {
			return client.images.remove((item as ImageItem).reference, force);
		}

		case 'volumes': {
			return client.volumes.remove(item.id);
		}

		case 'networks': {
			return client.networks.remove(item.id);
		}

		default: {
			return Promise.reject(new Error(`nothing to ${verb} in ${panel}`));
		}
	}
}

export async function runActions(client: EngineClient, dispatch: Dispatch<ScreenEvent>, action: {panel: PanelKind; verb: string; targets: ActionTarget[]; force?: boolean}, noticeId: number): Promise<void> {
	const {panel, targets} = action;
	const model = panels[panel];
	const verbOf = (verb: string) => (targets.length === 1 ? verb : action.verb);
	dispatch({
		type: 'action-started',
		panel,
		verb: verbOf(targets[0]?.verb ?? action.verb),
		ids: targets.map(target => target.item.id),
		names: targets.map(target => model.label(target.item)),
		pending: Object.fromEntries(targets.map(target => [target.item.id, target.verb])),
		noticeId,
	});
	let next = 0;
	const worker = async () => {
		while (next < targets.length) {
			const {item, verb} = targets[next++]!;
			const done = {type: 'action-done', panel, verb: verbOf(verb), id: item.id, name: model.label(item), noticeId} as const;
			try {
				await perform(client, panel, item, verb, Boolean(action.force));
				dispatch(done);
			} catch (error) {
				dispatch({...done, error: (error as Error).message});
			}
		}
	};

	await Promise.all(Array.from({length: Math.min(actionConcurrency, targets.length)}, worker));
}
