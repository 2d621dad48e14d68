// The engine's event stream, in dockerd's shape:
//   {"status":"start","id":ID,"from":IMAGE,"Type":"container","Action":"start",
//    "Actor":{"ID":ID,"Attributes":{"image":IMAGE,"name":NAME,...labels}},"scope":"local",
//    "time":SECONDS,"timeNano":NANOSECONDS}
// Recent events are kept so that `docker events --since` can be answered.
import {EventEmitter} from 'node:events';

export type EngineEvent = {
	status?: string;
	id?: string;
	from?: string;
	Type: 'container' | 'image' | 'volume';
	Action: string;
	Actor: {ID: string; Attributes: Record<string, string>};
	scope: 'local';
	time: number;
	timeNano: number;
};

export class EventLog extends EventEmitter {
	private readonly recent: EngineEvent[] = [];

	constructor(private readonly keep = 1000) {
		super();
		this.setMaxListeners(0);
	}

	publish(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string>): EngineEvent {
		const nanoseconds = BigInt(Date.now()) * 1_000_000n;
		const event: EngineEvent = {
			...(type === 'container' ? {status: action, id, from: attributes.image} : {}),
			Type: type,
			Action: action,
			Actor: {ID: id, Attributes: attributes},
			scope: 'local',
			time: Number(nanoseconds / 1_000_000_000n),
			timeNano: Number(nanoseconds),
		};
		this.recent.push(event);
		if (this.recent.length > this.keep) this.recent.shift();
		this.emit('event', event);
		return event;
	}

	since(seconds: number): EngineEvent[] {
		return this.recent.filter(event => event.timeNano / 1e9 >= seconds);
	}
}

export type EventFilters = Record<string, string[]>;

/** dockerd's event filters: type, container (id or name), image, event (action), label. */
export function matchesEvent(event: EngineEvent, filters: EventFilters): boolean {
	const attributes = event.Actor.Attributes;
	const check = (key: string, test: (value: string) => boolean) => !filters[key] || filters[key]!.length === 0 || filters[key]!.some(test);
	return (
		check('type', value => value === event.Type) &&
		check('event', value => value === event.Action || event.Action.startsWith(`${value}:`)) &&
		check('container', value => event.Type === 'container' && (event.Actor.ID.startsWith(value) || attributes.name === value)) &&
		check('image', value => attributes.image === value || (event.Type === 'image' && event.Actor.ID === value)) &&
		check('volume', value => event.Type === 'volume' && event.Actor.ID === value) &&
		check('label', value => {
			const [key, expected] = value.split('=', 2) as [string, string | undefined];
			return key in attributes && (expected === undefined || attributes[key] === expected);
		})
	);
}
