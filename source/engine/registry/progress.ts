// The progress stream the docker CLI draws: one JSON message per line, per-layer lines keyed by
// id with `progressDetail` always an object (the CLI's line tracking needs it), an error after
// the stream started as an `errorDetail` line.
import type {ServerResponse} from 'node:http';
import {engineApiVersion} from '../api/http.ts';

export type ProgressMessage = {status?: string; id?: string; progressDetail?: {current?: number; total?: number}; progress?: string; aux?: unknown};

/** Sizes as the docker CLI prints them: decimal units, three significant digits. */
export function humanSize(bytes: number): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${Number(value.toPrecision(3))}${units[unit]}`;
}

export function progressBar(current: number, total: number): string {
	if (total <= 0) return humanSize(current);
	const filled = Math.min(50, Math.floor((current / total) * 50));
	const bar = filled >= 50 ? '='.repeat(50) : `${'='.repeat(filled)}>${' '.repeat(49 - filled)}`;
	return `[${bar}]  ${humanSize(current)}/${humanSize(total)}`;
}

export class ProgressStream {
	private started = false;
	private readonly lastSent = new Map<string, number>();

	constructor(private readonly response: ServerResponse) {}

	get hasStarted(): boolean {
		return this.started;
	}

	send(message: ProgressMessage): void {
		if (!this.started) {
			this.started = true;
			this.response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
		}

		if (!this.response.writableEnded) this.response.write(`${JSON.stringify(message)}\n`);
	}

	status(status: string, id?: string): void {
		this.send(id ? {status, progressDetail: {}, id} : {status});
	}

	/** A byte count, at most ten a second per layer, and always the last. */
	bytes(status: string, id: string, current: number, total: number): void {
		const now = Date.now();
		const key = `${status}:${id}`;
		if (current < total && now - (this.lastSent.get(key) ?? 0) < 100) return;
		this.lastSent.set(key, now);
		this.send({status, progressDetail: {current, total}, progress: progressBar(current, total), id});
	}

	error(message: string): void {
		this.send({errorDetail: {message}, error: message} as ProgressMessage);
	}

	end(): void {
		if (!this.started) this.response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
		this.response.end();
	}
}
