// The registry side of /images: pull (POST /images/create?fromImage=…, whose import half is
// image-routes'), push, and docker login (POST /auth).
import type {ServerResponse} from 'node:http';
import {badRequest, EngineError, notFound} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {publishImageEvent} from '../images.ts';
import {credentialsFrom, credentialsFromHeader} from '../registry/credentials.ts';
import {parsePlatform, type Platform} from '../registry/manifests.ts';
import {ProgressStream} from '../registry/progress.ts';
import {familiarName, familiarTagged, type ImageReference, parseReference} from '../registry/reference.ts';
import {RegistryError, RegistrySession} from '../registry/session.ts';
import {type Router, sendJson} from './http.ts';

/** A pull's errors before its stream started are HTTP errors, as dockerd's; after, errorDetail lines. */
export async function pullImage(engine: Engine, query: URLSearchParams, authHeader: string | string[] | undefined, response: ServerResponse): Promise<void> {
	let reference: ImageReference;
	let platform: Platform;
	try {
		reference = parseReference(query.get('fromImage')!, query.get('tag') ?? '');
		platform = parsePlatform(query.get('platform'));
	} catch (error) {
		throw badRequest((error as Error).message);
	}

	const progress = new ProgressStream(response);
	try {
		const image = await engine.puller.pull({reference, credentials: credentialsFromHeader(authHeader), platform, explicitPlatform: Boolean(query.get('platform')), progress});
		engine.events.publish('image', 'pull', image.Id, {name: familiarTagged(reference) ?? `${familiarName(reference)}@${reference.digest}`});
	} catch (error) {
		if (!(error instanceof RegistryError)) console.error('berth engine: a pull failed:', error);
		const message = (error as Error).message;
		if (!progress.hasStarted) {
			if ((error as RegistryError).status === 404 || /access denied/.test(message)) throw notFound(message);
			throw new EngineError((error as RegistryError).code === 'blocked' ? 403 : 500, message);
		}

		progress.error(message);
	}

	progress.end();
}

export function addRegistryRoutes(router: Router, engine: Engine): void {
	router.add('POST', '/auth', async (request, response) => {
		const body = await request.json<{serveraddress?: unknown; username?: unknown; password?: unknown}>();
		const server = typeof body?.serveraddress === 'string' && body.serveraddress ? body.serveraddress : 'docker.io';
		// "https://index.docker.io/v1/", "http://127.0.0.1:5000", "127.0.0.1:5000": the host is what counts.
		const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
		const domain = host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
		const session = new RegistrySession({domain, repository: 'library/login'}, credentialsFrom(body ?? {}), engine.config.registry, '');
		try {
			await session.login();
		} catch (error) {
			throw new EngineError(401, (error as Error).message);
		}

		sendJson(response, 200, {Status: 'Login Succeeded', IdentityToken: ''});
	});

	// docker push NAME[:TAG]: the tag given, or (as CLI 20.10 asks without one) every tag of the repository.
	router.add('POST', '/images/{name+}/push', async (request, response) => {
		const name = request.params.name!;
		const tag = request.query.get('tag') ?? '';
		let reference: ImageReference;
		try {
			reference = parseReference(name, tag);
		} catch (error) {
			throw badRequest((error as Error).message);
		}

		const repository = familiarName(reference);
		const tags = tag || /:[^/]+$/.test(name) ? [familiarTagged(reference)!] : engine.images.list().flatMap(image => image.RepoTags).filter(known => known.slice(0, known.lastIndexOf(':')) === repository);
		const targets = tags.map(known => ({image: engine.images.resolve(known), reference: parseReference(known)}));
		if (targets.length === 0 || targets.some(target => !target.image)) throw notFound(`An image does not exist locally with the tag: ${tags.find(known => !engine.images.resolve(known)) ?? repository}`);
		const progress = new ProgressStream(response);
		try {
			for (const target of targets) {
				await engine.pusher.push({image: target.image!, reference: target.reference, credentials: credentialsFromHeader(request.raw.headers['x-registry-auth']), progress});
				publishImageEvent(engine.events, 'push', target.image!, familiarTagged(target.reference));
			}
		} catch (error) {
			if (!(error instanceof RegistryError)) console.error('berth engine: a push failed:', error);
			const message = (error as Error).message;
			if (!progress.hasStarted) throw new EngineError((error as RegistryError).status === 409 ? 409 : (error as RegistryError).code === 'blocked' ? 403 : 500, message);
			progress.error(message);
		}

		progress.end();
	});

}
