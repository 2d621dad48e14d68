// Docker's health checks, run by the engine: every Interval, the check's command as an exec in the
// running container; success makes it healthy, Retries failures in a row unhealthy (failures in
// the StartPeriod do not count while it is still starting), a check that outlives Timeout is
// killed and counts as failed. The last five results are kept in State.Health, and each change of
// status is a `health_status: …` event, as under dockerd.
import type {Containers, HealthState} from './containers.ts';
import {hasHealthcheck} from './containers.ts';
import type {EventLog} from './events.ts';
import type {Execs} from './execs.ts';

/** dockerd's defaults, in nanoseconds. */
const defaults = {interval: 30e9, timeout: 30e9, startPeriod: 0, retries: 3};
const keptResults = 5;
const maxOutput = 4096;

const seconds = (nanoseconds: number) => `${Number((nanoseconds / 1e9).toFixed(3))}s`;

export class HealthChecks {
	private readonly timers = new Map<string, NodeJS.Timeout>();
	/** Each watch of a container is a new round: a check still running from an earlier one does not go on. */
	private readonly rounds = new Map<string, number>();

	constructor(
		private readonly containers: Containers,
		private readonly execs: Execs,
		events: EventLog,
	) {
		events.on('event', (event: {Type: string; Action: string; Actor: {ID: string}}) => {
			if (event.Type !== 'container') return;
			if (event.Action === 'start' || event.Action === 'unpause') this.watch(event.Actor.ID);
			if (event.Action === 'die' || event.Action === 'destroy') this.unwatch(event.Actor.ID);
			if (event.Action === 'destroy') this.rounds.delete(event.Actor.ID);
		});
		// Containers the engine adopted at its start go on being checked.
		for (const record of containers.all()) if (record.State.Running) this.watch(record.Id);
	}

	private watch(id: string): void {
		this.unwatch(id);
		this.rounds.set(id, (this.rounds.get(id) ?? 0) + 1);
		const check = this.containers.find(id).Config.Healthcheck;
		if (!hasHealthcheck(check)) return;
		this.schedule(id, (check!.Interval || defaults.interval) / 1e6);
	}

	private unwatch(id: string): void {
		clearTimeout(this.timers.get(id));
		this.timers.delete(id);
		this.rounds.set(id, (this.rounds.get(id) ?? 0) + 1);
	}

	private schedule(id: string, milliseconds: number): void {
		// Not what keeps the engine alive: a stopping engine does not wait for the next check.
		this.timers.set(id, setTimeout(() => void this.probe(id), milliseconds).unref());
	}

	private async probe(id: string): Promise<void> {
		const round = this.rounds.get(id);
		let record;
		try {
			record = this.containers.find(id);
		} catch {
			return this.unwatch(id);
		}

		const check = record.Config.Healthcheck!;
		const interval = (check.Interval || defaults.interval) / 1e6;
		if (!record.State.Running) return this.unwatch(id);
		// A paused container is not checked (an exec could not run in it); checks go on when it is unpaused.
		if (record.State.Paused) return this.unwatch(id);
		const test = check.Test!;
		const command = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
		const timeout = check.Timeout || defaults.timeout;
		const start = new Date();
		let exitCode: number;
		let output = '';
		try {
			const {Id} = this.execs.create(id, {Cmd: command, AttachStdout: true, AttachStderr: true});
			const instance = this.execs.start(Id);
			const keep = (chunk: Buffer) => {
				if (output.length < maxOutput) output = (output + chunk.toString('utf8')).slice(0, maxOutput);
			};
			instance.child!.stdout.on('data', keep);
			instance.child!.stderr.on('data', keep);
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				instance.child!.kill('SIGKILL');
			}, timeout / 1e6);
			exitCode = await instance.done!;
			clearTimeout(timer);
			if (timedOut) {
				exitCode = -1;
				output = `Health check exceeded timeout (${seconds(timeout)})`;
			}
		} catch (error) {
			exitCode = -1;
			output = (error as Error).message;
		}

		if (this.rounds.get(id) !== round) return; // it stopped, or started again, meanwhile
		const current = this.containers.find(id).State.Health ?? {Status: 'starting', FailingStreak: 0, Log: []};
		const result = {Start: start.toISOString(), End: new Date().toISOString(), ExitCode: exitCode, Output: output};
		const log = [...current.Log, result].slice(-keptResults);
		let next: HealthState;
		if (exitCode === 0) next = {Status: 'healthy', FailingStreak: 0, Log: log};
		else {
			const startPeriod = check.StartPeriod || defaults.startPeriod;
			const inStartPeriod = current.Status === 'starting' && Date.now() - Date.parse(record.State.StartedAt) < startPeriod / 1e6;
			const streak = inStartPeriod ? current.FailingStreak : current.FailingStreak + 1;
			next = {Status: streak >= (check.Retries || defaults.retries) ? 'unhealthy' : current.Status, FailingStreak: streak, Log: log};
		}

		this.containers.setHealth(id, next);
		this.schedule(id, interval);
	}
}
