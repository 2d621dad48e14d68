// The daemon's /events stream: one JSON object a line, lines split anywhere across chunks.
import {LineSplitter} from './line-splitter.ts';

export type EngineEvent = {
	Type?: string;
	Action?: string;
	/** Older daemons' names for Action and Actor.ID. */
	status?: string;
	id?: string;
	Actor?: {ID?: string; Attributes?: Record<string, string>};
	time?: number;
	timeNano?: number;
};

export const eventType = (event: EngineEvent) => event.Type ?? 'container';
export const eventAction = (event: EngineEvent) => event.Action ?? event.status ?? '';
export const eventActor = (event: EngineEvent) => event.Actor?.ID ?? event.id ?? '';

/** Where events come from for those that follow them (the log pipeline): a subscription. */
export type EventSource = {subscribe(handler: (event: EngineEvent) => void): () => void};

/** Calls `onEvent` for each event the stream carries; lines that are not JSON are skipped. */
export function readEvents(stream: NodeJS.ReadableStream, onEvent: (event: EngineEvent) => void): void {
	const splitter = new LineSplitter(1024 * 1024);
	stream.on('data', (chunk: Buffer) => {
		for (const line of splitter.push(chunk)) {
			if (!line.trim()) continue;
			let event: EngineEvent;
			try {
				event = JSON.parse(line) as EngineEvent;
			} catch {
				continue;
			}

			onEvent(event);
		}
	});
}
