// The images the engine can run. For now the one built in: `host`, the host's own root
// filesystem, mounted read-only, so that a fresh machine has something useful to run.
import {createHash} from 'node:crypto';

export type ImageConfig = {
	Env?: string[];
	Cmd?: string[];
	Entrypoint?: string[] | null;
	WorkingDir?: string;
	User?: string;
	Labels?: Record<string, string>;
	ExposedPorts?: Record<string, object>;
};

export type Image = {
	Id: string;
	RepoTags: string[];
	Created: string;
	Config: ImageConfig;
	/** Where its root filesystem is on the host. */
	rootfs: string;
	readOnly: boolean;
};

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const hostImage: Image = {
	Id: `sha256:${createHash('sha256').update('berth built-in image: host').digest('hex')}`,
	RepoTags: ['host:latest'],
	Created: '1970-01-01T00:00:00Z',
	Config: {Env: [defaultPath], Cmd: ['/bin/sh'], WorkingDir: '/', Labels: {'org.berth.image': 'host'}},
	rootfs: '/',
	readOnly: true,
};

export class ImageStore {
	private readonly images = new Map<string, Image>([[hostImage.Id, hostImage]]);

	list(): Image[] {
		return [...this.images.values()];
	}

	/** By name (`host`, `host:latest`), full id, or a unique id prefix. */
	resolve(reference: string): Image | undefined {
		const name = reference.includes(':') || reference.includes('@') ? reference : `${reference}:latest`;
		for (const image of this.images.values()) if (image.RepoTags.includes(name)) return image;
		const id = reference.startsWith('sha256:') ? reference : `sha256:${reference}`;
		const matches = [...this.images.values()].filter(image => image.Id.startsWith(id));
		return matches.length === 1 ? matches[0] : undefined;
	}
}
