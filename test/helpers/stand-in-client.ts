// A stand-in for the client interface (EngineClient), for component tests that render the App
// without an engine: its feed hands over a fixed list, and every request is refused. Tests of
// real behaviour run against a real daemon and engine instead.
import type {EngineClient} from '../../source/client/engine-client.ts';
import {listers} from '../../source/client/engine-client.ts';
import type {ResourceFeed} from '../../source/client/feed.ts';
import {LogPipeline} from '../../source/client/logs/log-pipeline.ts';
import type {Container} from '../../source/state/container.ts';

const refuse = () => Promise.reject(new Error('no engine in a component test'));

export function standInClient(containers: Container[], label = 'Docker 20.10.24', url = 'unix:///var/run/docker.sock'): EngineClient {
	const feed: ResourceFeed = {
		subscribe: () => () => undefined,
		early: () => ({containers, connected: true}),
		onFirstList: callback => callback(containers),
		watch: () => () => undefined,
		onEvents: () => () => undefined,
		onEvent: () => () => undefined,
		recentEvents: () => [],
		stop: () => undefined,
	};
	return {
		url,
		label,
		isBerthEngine: false,
		hostEnv: {DOCKER_HOST: url},
		feed,
		listers,
		containers: {inspect: refuse, act: refuse, stats: (_id, handlers) => (handlers.onEnd('no engine'), {stop: () => undefined}), statsOnce: refuse, top: refuse, create: refuse, rename: refuse, signal: refuse, findShell: refuse, exec: refuse, attach: refuse},
		images: {inspect: refuse, history: refuse, remove: refuse, tag: refuse, pull: refuse, prune: refuse},
		volumes: {inspect: refuse, remove: refuse, prune: refuse},
		networks: {inspect: refuse, remove: refuse, prune: refuse},
		system: {machine: refuse},
		// The pipeline is the real one; its reads are refused.
		logs: (targets, options, sink) =>
			new LogPipeline(
				{
					read(_id, _request, handlers) {
						setImmediate(() => handlers.onEnd({message: 'no engine in a component test', connection: false}));
						return {stop: () => undefined, pause: () => undefined, resume: () => undefined};
					},
					inspect: refuse,
				},
				targets,
				options,
				sink,
			),
		close: () => undefined,
	};
}
