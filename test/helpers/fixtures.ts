import type {Container} from '../../source/state/container.ts';

let counter = 0;

/** A container record as the client layer makes them, with what a test does not care about filled in. */
export function makeContainer(fields: Partial<Container> & {name: string}): Container {
	counter++;
	return {
		id: fields.id ?? `${fields.name}-${counter}`.padEnd(12, '0'),
		image: 'busybox',
		state: 'running',
		status: 'Up 5 minutes',
		statusAt: 0,
		created: 0,
		ports: '',
		...fields,
	};
}
