// /containers/...: the lifecycle, inspect, list and logs, in dockerd's shapes.
import type {ContainerRecord} from '../containers.ts';
import {Containers, parseBinds, statusText} from '../containers.ts';
import {badRequest} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {encodeEntries, encodeFrame, type LogEntry, parseTime, queryLog} from '../log-store.ts';
import {attachOutput} from './attach.ts';
import {diskUsage} from '../disk-usage.ts';
import {anyOf, checkFilters, type Filters, labelsMatch, matchesPattern, untilCutoff} from './filters.ts';
import {engineApiVersion, flag, parseFilters, type Router, sendEmpty, sendJson} from './http.ts';
import {validateCreate, validateUpdate} from './validate.ts';

function optionalInteger(value: string | null, name: string): number | undefined {
	if (value === null || value === '') return undefined;
	if (!/^-?\d+$/.test(value)) throw badRequest(`invalid value for ${name}: ${value}`);
	return Number(value);
}

export function summary(record: ContainerRecord, engine: Engine) {
	return {
		Id: record.Id,
		Names: [record.Name],
		Image: record.ImageName,
		ImageID: record.Image,
		Command: [record.Path, ...record.Args].join(' '),
		Created: Math.floor(Date.parse(record.Created) / 1000),
		Ports: [],
		Labels: record.Config.Labels ?? {},
		State: record.State.Status,
		Status: statusText(record.State),
		HostConfig: {NetworkMode: record.HostConfig.NetworkMode ?? 'none'},
		NetworkSettings: {Networks: networks(record)},
		Mounts: mounts(record, engine),
	};
}

function mounts(record: ContainerRecord, engine: Engine) {
	return parseBinds(record.HostConfig.Binds ?? []).map(bind =>
		bind.volume
			? {Type: 'volume', Name: bind.volume, Source: engine.volumes.list().find(volume => volume.Name === bind.volume)?.Mountpoint ?? '', Destination: bind.destination, Driver: 'local', Mode: bind.readOnly ? 'ro' : 'z', RW: !bind.readOnly, Propagation: ''}
			: {Type: 'bind', Source: bind.source, Destination: bind.destination, Mode: bind.readOnly ? 'ro' : '', RW: !bind.readOnly, Propagation: 'rprivate'},
	);
}

function networks(record: ContainerRecord) {
	const mode = record.HostConfig.NetworkMode === 'host' ? 'host' : 'none';
	return {[mode]: {IPAMConfig: null, Links: null, Aliases: null, NetworkID: mode, EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '', DriverOpts: null}};
}

function inspect(record: ContainerRecord, engine: Engine) {
	return {
		Id: record.Id,
		Created: record.Created,
		Path: record.Path,
		Args: record.Args,
		State: record.State,
		Image: record.Image,
		ResolvConfPath: '',
		HostnamePath: '',
		HostsPath: '',
		LogPath: record.LogPath,
		Name: record.Name,
		RestartCount: record.RestartCount,
		Driver: 'berth',
		Platform: 'linux',
		MountLabel: '',
		ProcessLabel: '',
		AppArmorProfile: '',
		ExecIDs: null,
		HostConfig: {
			Binds: null,
			NetworkMode: 'none',
			RestartPolicy: {Name: 'no', MaximumRetryCount: 0},
			AutoRemove: false,
			LogConfig: {Type: 'json-file', Config: {}},
			Memory: 0,
			NanoCpus: 0,
			PidsLimit: null,
			...record.HostConfig,
		},
		GraphDriver: {Name: 'berth', Data: null},
		Mounts: mounts(record, engine),
		Config: {
			Hostname: record.Config.Hostname,
			Domainname: '',
			User: record.Config.User ?? '',
			AttachStdin: Boolean(record.Config.AttachStdin),
			AttachStdout: Boolean(record.Config.AttachStdout),
			AttachStderr: Boolean(record.Config.AttachStderr),
			Tty: Boolean(record.Config.Tty),
			OpenStdin: Boolean(record.Config.OpenStdin),
			StdinOnce: Boolean(record.Config.StdinOnce),
			Env: record.Config.Env ?? [],
			Cmd: record.Config.Cmd ?? null,
			Image: record.ImageName,
			Volumes: null,
			WorkingDir: record.Config.WorkingDir ?? '',
			Entrypoint: record.Config.Entrypoint ?? null,
			OnBuild: null,
			Labels: record.Config.Labels ?? {},
			...(record.Config.StopSignal ? {StopSignal: record.Config.StopSignal} : {}),
			...(record.Config.StopTimeout === undefined ? {} : {StopTimeout: record.Config.StopTimeout}),
			...(record.Config.Healthcheck ? {Healthcheck: record.Config.Healthcheck} : {}),
		},
		NetworkSettings: {Bridge: '', SandboxID: '', HairpinMode: false, Ports: {}, SandboxKey: '', Networks: networks(record), IPAddress: '', Gateway: '', MacAddress: ''},
	};
}

/** dockerd's list filters: status, name, label, id, ancestor, exited, before, since, volume, network, health. */
function matchesFilters(record: ContainerRecord, filters: Filters, containers: Containers): boolean {
	checkFilters(filters, ['status', 'name', 'label', 'id', 'ancestor', 'exited', 'before', 'since', 'volume', 'network', 'health']);
	const created = (reference: string) => Date.parse(containers.find(reference).Created);
	const mounts = () => parseBinds(record.HostConfig.Binds ?? []);
	return (
		anyOf(filters, 'status', value => value === record.State.Status) &&
		anyOf(filters, 'name', value => matchesPattern(value, record.Name)) &&
		anyOf(filters, 'id', value => record.Id.startsWith(value)) &&
		anyOf(filters, 'ancestor', value => record.ImageName === value || record.ImageName === `${value}:latest` || record.Image.replace(/^sha256:/, '').startsWith(value.replace(/^sha256:/, ''))) &&
		anyOf(filters, 'exited', value => {
			if (!/^-?\d+$/.test(value)) throw badRequest(`invalid filter 'exited=${value}'`);
			return record.State.Status === 'exited' && record.State.ExitCode === Number(value);
		}) &&
		anyOf(filters, 'before', value => Date.parse(record.Created) < created(value)) &&
		anyOf(filters, 'since', value => Date.parse(record.Created) > created(value)) &&
		anyOf(filters, 'volume', value => mounts().some(bind => bind.volume === value || bind.source === value || bind.destination === value)) &&
		anyOf(filters, 'network', value => (record.HostConfig.NetworkMode || 'none') === value) &&
		anyOf(filters, 'health', value => (record.State.Health?.Status ?? 'none') === value) &&
		labelsMatch(filters, record.Config.Labels)
	);
}

export function addContainerRoutes(router: Router, engine: Engine): void {
	const {containers} = engine;

	router.add('GET', '/containers/json', (request, response) => {
		const filters = parseFilters(request.query);
		const all = flag(request.query, 'all');
		const limit = optionalInteger(request.query.get('limit'), 'limit');
		let list = containers
			.all()
			.filter(record => (all || filters.status ? true : record.State.Running))
			.filter(record => matchesFilters(record, filters, containers))
			.sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
		if (limit !== undefined && limit > 0) list = list.slice(0, limit);
		sendJson(response, 200, list.map(record => summary(record, engine)));
	});

	router.add('POST', '/containers/prune', async (request, response) => {
		const filters = parseFilters(request.query);
		checkFilters(filters, ['until', 'label', 'label!']);
		const until = untilCutoff(filters);
		const chosen = containers
			.all()
			.filter(record => !containers.isRunning(record.Id) && (until === undefined || Date.parse(record.Created) / 1000 < until) && labelsMatch(filters, record.Config.Labels));
		const deleted: string[] = [];
		let reclaimed = 0;
		for (const record of chosen) {
			const size = await diskUsage(containers.writableLayer(record.Id));
			try {
				await containers.remove(record.Id, false);
			} catch {
				continue; // started meanwhile, or removed by someone else: not ours to prune
			}

			deleted.push(record.Id);
			reclaimed += size;
		}

		engine.events.publish('container', 'prune', '', {reclaimed: String(reclaimed)});
		sendJson(response, 200, {ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed});
	});

	router.add('POST', '/containers/create', async (request, response) => {
		const {config, hostConfig} = validateCreate(await request.json());
		sendJson(response, 201, containers.create(request.query.get('name') ?? undefined, config, hostConfig));
	});

	router.add('GET', '/containers/{id}/json', (request, response) => {
		sendJson(response, 200, inspect(containers.find(request.params.id!), engine));
	});

	router.add('POST', '/containers/{id}/start', async (request, response) => {
		await containers.start(request.params.id!);
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/stop', async (request, response) => {
		await containers.stop(request.params.id!, optionalInteger(request.query.get('t'), 't'), request.query.get('signal') ?? undefined);
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/restart', async (request, response) => {
		await containers.restart(request.params.id!, optionalInteger(request.query.get('t'), 't'));
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/kill', async (request, response) => {
		await containers.kill(request.params.id!, request.query.get('signal') ?? undefined);
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/rename', async (request, response) => {
		await containers.rename(request.params.id!, request.query.get('name') ?? '');
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/wait', async (request, response) => {
		const condition = Containers.checkCondition(request.query.get('condition') || undefined);
		const record = containers.find(request.params.id!);
		// The answer may be a long time coming: send the headers now, as dockerd does.
		const pending = containers.wait(record.Id, condition);
		response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
		response.flushHeaders();
		const result = await pending;
		response.end(JSON.stringify(result));
	});

	router.add('DELETE', '/containers/{id}', async (request, response) => {
		await containers.remove(request.params.id!, flag(request.query, 'force'));
		sendEmpty(response);
	});

	router.add('GET', '/containers/{id}/logs', (request, response) => {
		const record = containers.find(request.params.id!);
		const {query} = request;
		const stdout = flag(query, 'stdout');
		const stderr = flag(query, 'stderr');
		if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
		const tailValue = query.get('tail');
		const tail = tailValue === null || tailValue === 'all' || tailValue === '' ? undefined : optionalInteger(tailValue, 'tail');
		const since = parseTime(query.get('since') ?? undefined);
		const until = parseTime(query.get('until') ?? undefined);
		const timestamps = flag(query, 'timestamps');
		const follow = flag(query, 'follow');
		const tty = Boolean(record.Config.Tty);
		const log = containers.log(record);
		response.writeHead(200, {'Content-Type': 'application/vnd.docker.raw-stream', 'Api-Version': engineApiVersion});
		const initial = queryLog(log, {stdout, stderr, since, until, tail});
		if (initial.length > 0) response.write(encodeEntries(initial, tty, timestamps));
		if (!follow || !containers.isRunning(record.Id) || (until !== undefined && until <= Date.now() / 1000)) {
			response.end();
			return;
		}

		// One write for each batch the container's output arrived in.
		const onEntry = (entries: LogEntry[]) => {
			const wanted = entries.filter(entry => (entry.stream === 'stdout' ? stdout : stderr));
			if (wanted.length > 0) response.write(encodeEntries(wanted, tty, timestamps));
		};

		const onEvent = (event: {Type: string; Action: string; Actor: {ID: string}}) => {
			if (event.Type === 'container' && event.Actor.ID === record.Id && (event.Action === 'die' || event.Action === 'destroy')) response.end();
		};

		log.on('entries', onEntry);
		engine.events.on('event', onEvent);
		response.on('close', () => {
			log.off('entries', onEntry);
			engine.events.off('event', onEvent);
		});
	});

	// An attach without Upgrade (dockerode's run() sends one, before start): output only, on the response.
	router.add('POST', '/containers/{id}/attach', (request, response) => {
		const record = containers.find(request.params.id!);
		response.writeHead(200, {'Content-Type': 'application/vnd.docker.raw-stream', 'Api-Version': engineApiVersion});
		response.flushHeaders();
		attachOutput(engine, record, request.query, {
			write: chunk => response.write(chunk),
			end: () => response.end(),
			onGone: listener => response.on('close', listener),
		});
	});

	router.add('POST', '/containers/{id}/update', async (request, response) => {
		sendJson(response, 200, await containers.update(request.params.id!, validateUpdate(await request.json())));
	});

	router.add('POST', '/containers/{id}/exec', async (request, response) => {
		sendJson(response, 201, engine.execs.create(request.params.id!, await request.json()));
	});

	router.add('GET', '/exec/{id}/json', (request, response) => {
		sendJson(response, 200, engine.execs.inspect(request.params.id!));
	});

	const size = (query: URLSearchParams) => {
		const rows = optionalInteger(query.get('h'), 'h');
		const columns = optionalInteger(query.get('w'), 'w');
		if (!rows || !columns || rows < 1 || columns < 1) throw badRequest('resize needs h and w, both at least 1');
		return {rows, columns};
	};

	router.add('POST', '/containers/{id}/resize', (request, response) => {
		const {rows, columns} = size(request.query);
		containers.resize(request.params.id!, rows, columns);
		sendEmpty(response, 200);
	});

	router.add('POST', '/exec/{id}/resize', (request, response) => {
		const {rows, columns} = size(request.query);
		engine.execs.resize(request.params.id!, rows, columns);
		sendEmpty(response, 200);
	});

	// Without an Upgrade header: detached, or the output as the response body (older clients).
	router.add('POST', '/exec/{id}/start', async (request, response) => {
		const options = ((await request.json()) ?? {}) as {Detach?: boolean};
		const instance = engine.execs.start(request.params.id!);
		if (options.Detach) {
			sendEmpty(response, 200);
			return;
		}

		response.writeHead(200, {'Content-Type': 'application/vnd.docker.raw-stream', 'Api-Version': engineApiVersion});
		const child = instance.child!;
		const tty = Boolean(instance.config.Tty);
		child.stdout.on('data', (chunk: Buffer) => response.write(encodeFrame('stdout', chunk, tty)));
		child.stderr.on('data', (chunk: Buffer) => response.write(encodeFrame('stderr', chunk, tty)));
		await instance.done;
		response.end();
	});
}

