// docker commit: a new image of the container's image's layers and one more, made from the
// container's own layer (its deletions as whiteouts), with the container's configuration.
// A running container is paused meanwhile (as dockerd does by default), so the layer is whole.
import {createHash} from 'node:crypto';
import {readFile, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {pack} from 'tar-stream';
import {packUpperLayer} from './container-fs.ts';
import {type ContainerRecord, engineWrittenFiles} from './containers.ts';
import {badRequest, conflict} from './errors.ts';
import {applyConfigChange} from './dockerfile/config-change.ts';
import {hostImage, type Image, type ImageConfig, type ImageConfigFile, type ImageStore, normaliseReference} from './images.ts';
import type {LayerStore} from './layer-store.ts';

export type CommitRequest = {record: ContainerRecord; upper: string; reference?: string; comment?: string; author?: string; changes?: string[]};

export async function commitContainer(images: ImageStore, layers: LayerStore, {record, upper, reference, comment, author, changes = []}: CommitRequest): Promise<Image> {
	const parent = images.get(record.Image);
	if (!parent) throw conflict(`the image of container ${record.Id.slice(0, 12)} is gone: there is nothing to commit onto`);
	if (parent === hostImage || parent.rootfs) throw badRequest(parent === hostImage ? 'a container of the host image cannot be committed: its root is the host itself' : 'its image was unpacked whole by an earlier berth, without layers: pull or load it again');
	let parentConfig: ImageConfigFile;
	try {
		parentConfig = JSON.parse(await readFile(path.join(images.directoryOf(parent.Id), 'config.json'), 'utf8')) as ImageConfigFile;
	} catch {
		throw conflict('the image has no config kept (imported by an earlier berth): it cannot be committed onto');
	}

	const archive = pack();
	const tar = new PassThrough({highWaterMark: 1 << 20});
	archive.on('error', error => tar.destroy(error));
	archive.pipe(tar);
	const packing = packUpperLayer(archive, upper, images.lowerDirs(parent).paths, engineWrittenFiles).then(
		() => archive.finalize(),
		(error: unknown) => archive.destroy(error as Error),
	);
	const {diffId} = await layers.add(() => tar);
	await packing;

	const created = new Date().toISOString();
	const {Env, Cmd, Entrypoint, WorkingDir, User, Labels, ExposedPorts} = record.Config;
	let imageConfig: ImageConfig = {...parentConfig.config, Env, Cmd: Cmd ?? parentConfig.config?.Cmd, Entrypoint: Entrypoint ?? parentConfig.config?.Entrypoint, WorkingDir, User, Labels: Labels ?? null, ExposedPorts};
	for (const change of changes) imageConfig = applyConfigChange(imageConfig, change);
	const config: ImageConfigFile = {
		...parentConfig,
		created,
		...(author ? {author} : {}),
		config: imageConfig,
		rootfs: {type: 'layers', diff_ids: [...(parentConfig.rootfs?.diff_ids ?? []), diffId]},
		history: [...(parentConfig.history ?? []), {created, created_by: [record.Path, ...record.Args].join(' '), ...(comment ? {comment} : {})}],
	};
	const bytes = Buffer.from(JSON.stringify(config));
	const id = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
	const directory = images.directoryOf(id);
	await mkdir(directory, {recursive: true, mode: 0o700});
	await writeFile(path.join(directory, 'config.json'), bytes, {mode: 0o600});
	const image: Image = {
		Id: id,
		RepoTags: reference ? [normaliseReference(reference)] : [],
		Created: created,
		Config: config.config ?? {},
		Architecture: config.architecture,
		Os: config.os,
		Layers: config.rootfs!.diff_ids!,
		readOnly: false,
		Size: (config.rootfs!.diff_ids ?? []).reduce((total, layer) => total + layers.size(layer), 0),
	};
	images.add(image);
	return images.get(id)!;
}
