// Every panel, in the order the number keys reach them.
import type {Item} from '../list.ts';
import {containersPanel} from './containers.ts';
import {diskPanel} from './disk.ts';
import {eventsPanel} from './events.ts';
import {imagesPanel} from './images.ts';
import {networksPanel} from './networks.ts';
import type {PanelKind, PanelModel} from './panel.ts';
import {volumesPanel} from './volumes.ts';

export const panels: Readonly<Record<PanelKind, PanelModel<Item>>> = {
	containers: containersPanel as unknown as PanelModel<Item>,
	images: imagesPanel as unknown as PanelModel<Item>,
	volumes: volumesPanel as unknown as PanelModel<Item>,
	networks: networksPanel as unknown as PanelModel<Item>,
	events: eventsPanel as unknown as PanelModel<Item>,
	disk: diskPanel as unknown as PanelModel<Item>,
};

export {panelKinds, type PanelKind} from './panel.ts';
