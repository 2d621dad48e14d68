// Sends what the run form says: a new container created and started; a copy of one beside it; or
// its replacement, which is careful with the original: stopped and renamed out of the way, the
// new one created and started under its name, and the original removed only once the new one has
// started. If anything fails on the way, the new one goes, the original gets its name back and
// runs again as it did, and the form says why, next to the field it is about.
import type {EngineClient} from '../client/engine-client.ts';
import {fieldOfRefusal, formOptions, type RunForm} from '../state/run-form.ts';
import {type CreateRequest, type RunProblems, toCreateRequest} from '../state/run-options.ts';

export type SubmitResult = {ok: true; text: string} | {ok: false; problems: RunProblems & {general?: string}};

/** The daemon's words, next to the field they are about; what became of the original first. */
const refusal = (error: unknown, note?: string): SubmitResult => {
	const message = (error as Error).message;
	return {ok: false, problems: {[fieldOfRefusal(message)]: note ? `${note} — ${message}` : message}};
};

/** Creates and starts; a container that was created but would not start is removed again. */
async function createAndStart(client: EngineClient, request: CreateRequest): Promise<string> {
	const id = await client.containers.create(request);
	try {
		await client.containers.act(id, 'start');
	} catch (error) {
		await client.containers.act(id, 'remove', {force: true}).catch(() => undefined);
		throw error;
	}

	return id;
}

export async function submitForm(client: EngineClient, form: RunForm): Promise<SubmitResult> {
	const read = formOptions(form);
	if ('problems' in read) return {ok: false, problems: read.problems};
	const mapped = toCreateRequest(read.options, form.base);
	if ('problems' in mapped) return {ok: false, problems: mapped.problems};
	const {request} = mapped;
	const original = form.original;
	if (form.mode === 'new' || !form.replace || !original) {
		try {
			await createAndStart(client, request);
		} catch (error) {
			return refusal(error);
		}

		const name = request.name ?? 'the container';
		return {ok: true, text: form.mode === 'new' ? `started ${name}` : `started ${name}, a copy of ${original?.name ?? ''}`};
	}

	const aside = `${original.name}-berth-old-${Math.random().toString(36).slice(2, 8)}`;
	try {
		if (original.running) await client.containers.act(original.id, 'stop');
		await client.containers.rename(original.id, aside);
	} catch (error) {
		// Nothing new exists yet; the original is started again if it was stopped.
		if (original.running) await client.containers.act(original.id, 'start').catch(() => undefined);
		return refusal(error, 'the original is unchanged');
	}

	try {
		await createAndStart(client, {...request, name: original.name});
	} catch (error) {
		const back = await client.containers
			.rename(original.id, original.name)
			.then(() => (original.running ? client.containers.act(original.id, 'start') : undefined))
			.then(
				() => `not replaced: the original ${original.name} is back${original.running ? ', running' : ''}`,
				(restoreError: Error) => `not replaced, and putting the original back failed (${restoreError.message}): it is ${aside} now`,
			);
		return refusal(error, back);
	}

	try {
		await client.containers.act(original.id, 'remove', {force: true});
	} catch (error) {
		return {ok: true, text: `replaced ${original.name}; the old one (${aside}) could not be removed: ${(error as Error).message}`};
	}

	return {ok: true, text: `replaced ${original.name}`};
}
