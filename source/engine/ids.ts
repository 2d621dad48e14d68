// Ids and names as Docker makes them: 64 hex digits, and two-word random names.
import {randomBytes} from 'node:crypto';

export function newId(): string {
	return randomBytes(32).toString('hex');
}

/** Docker's rule for container names. */
export const validName = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const adjectives = ['brave', 'calm', 'eager', 'fond', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nimble', 'proud', 'quiet', 'sharp', 'steady', 'tidy', 'vivid', 'witty', 'zen', 'bold'];
const nouns = ['anchor', 'buoy', 'cabin', 'deck', 'ferry', 'galley', 'harbor', 'jetty', 'keel', 'lantern', 'mast', 'oar', 'pier', 'quay', 'rudder', 'sail', 'tide', 'wharf', 'hull', 'dock'];

export function randomName(taken: (name: string) => boolean): string {
	for (let attempt = 0; ; attempt++) {
		const pick = (list: string[]) => list[randomBytes(1)[0]! % list.length]!;
		const name = `${pick(adjectives)}_${pick(nouns)}${attempt > 10 ? attempt : ''}`;
		if (!taken(name)) return name;
	}
}
