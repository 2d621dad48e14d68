import {readFileSync} from 'node:fs';

declare const __BERTH_VERSION__: string | undefined;

/** Set at build time; read from package.json when running from source. */
export const version: string =
	typeof __BERTH_VERSION__ === 'string'
		? __BERTH_VERSION__
		: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
