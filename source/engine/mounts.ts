// What `--tmpfs` and `--device` ask for, checked at create as dockerd checks them, and turned
// into the mounts the set-up makes: a tmpfs of the container's own (nodev, nosuid, as Docker's
// default), and a host device node bound in where it is allowed (cgroup v1's devices list too).
import {statSync} from 'node:fs';
import path from 'node:path';
import {badRequest} from './errors.ts';

export type DeviceRequest = {PathOnHost?: string; PathInContainer?: string; CgroupPermissions?: string};

/** A device as the set-up binds it and the device cgroup allows it. */
export type Device = {source: string; destination: string; rule: string};

const tmpfsOptions = /^(size=\d+[kmg%]?|mode=[0-7]{3,4}|uid=\d+|gid=\d+|nr_inodes=\d+[kmg]?|rw|ro|exec|noexec|suid|nosuid|dev|nodev|sync|async|atime|noatime|relatime|strictatime|nodiratime)$/;

/** `--tmpfs /path[:options]`, as the Tmpfs map of the create request: checked options, Docker's defaults first. */
export function parseTmpfs(tmpfs: Record<string, string> | null | undefined, privileged: boolean): Array<{destination: string; options: string}> {
	return Object.entries(tmpfs ?? {}).map(([destination, given]) => {
		if (!destination.startsWith('/') || path.normalize(destination) === '/') throw badRequest(`invalid tmpfs mount point ${JSON.stringify(destination)}: an absolute path other than /`);
		const options = given.split(',').filter(Boolean);
		for (const option of options) if (!tmpfsOptions.test(option)) throw badRequest(`invalid tmpfs option ${JSON.stringify(option)} for ${destination}`);
		// As Docker: noexec, nosuid and nodev unless "exec", "suid" or "dev" is asked for; but a
		// device node opens nowhere in an unprivileged container, so nodev stays there.
		const defaults = ['noexec', 'nosuid', 'nodev'].filter(option => !options.includes(option.slice(2)));
		let chosen = [...defaults, ...options];
		if (!privileged) chosen = [...chosen.filter(option => option !== 'dev'), 'nodev'];
		return {destination: path.normalize(destination), options: [...new Set(chosen)].join(',')};
	});
}

/** `--device /dev/x[:/dev/y][:rwm]`: the node must be a device on the host. */
export function parseDevices(devices: DeviceRequest[] | null | undefined): Device[] {
	return (devices ?? []).map(device => {
		const source = device.PathOnHost ?? '';
		const destination = device.PathInContainer || source;
		const permissions = device.CgroupPermissions || 'rwm';
		if (!source.startsWith('/') || !destination.startsWith('/')) throw badRequest(`invalid device ${JSON.stringify(source)}: an absolute path on the host is needed`);
		if (!/^[rwm]{1,3}$/.test(permissions)) throw badRequest(`invalid device permissions ${JSON.stringify(permissions)}: r, w and m`);
		let stat;
		try {
			stat = statSync(source);
		} catch {
			throw badRequest(`error gathering device information while adding custom device "${source}": no such file or directory`);
		}

		if (!stat.isCharacterDevice() && !stat.isBlockDevice()) throw badRequest(`error gathering device information while adding custom device "${source}": not a device node`);
		// Linux's encoding of a device number: the major in bits 8-19, the minor in 0-7 and 20-31.
		const major = Number((BigInt(stat.rdev) >> 8n) & 0xfffn);
		const minor = Number((BigInt(stat.rdev) & 0xffn) | ((BigInt(stat.rdev) >> 12n) & 0xfff00n));
		return {source, destination: path.normalize(destination), rule: `${stat.isBlockDevice() ? 'b' : 'c'} ${major}:${minor} ${permissions}`};
	});
}
