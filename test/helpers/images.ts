// Test images beyond the busybox one, built FROM scratch on the test daemon from files on this
// machine (nothing can be pulled), and copied to berth's engine with `docker save` and load.
import {existsSync, readFileSync} from 'node:fs';
import type Docker from 'dockerode';
import {pack} from 'tar-stream';

const busyboxPath = () => ['/bin/busybox', '/usr/bin/busybox'].find(candidate => existsSync(candidate));
const bashPath = () => ['/bin/bash-static', '/usr/bin/bash-static'].find(candidate => existsSync(candidate));

export type ImageRecipe = {tag: string; missing?: string; files: Record<string, string>; dockerfile: string};

/** busybox with its applets (so ash and sh), and a static bash as /bin/bash. */
export const withBash = (): ImageRecipe => ({
	tag: 'berth-test/with-bash',
	missing: !busyboxPath() ? 'no static busybox (apt-get install busybox-static)' : !bashPath() ? 'no static bash (apt-get install bash-static)' : undefined,
	files: {busybox: busyboxPath() ?? '', bash: bashPath() ?? ''},
	dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCOPY bash /bin/bash\nCMD ["/bin/sh"]\n',
});

/** Only a busybox binary at /busybox: no shell anywhere a shell is looked for. */
export const noShell = (): ImageRecipe => ({
	tag: 'berth-test/no-shell',
	missing: busyboxPath() ? undefined : 'no static busybox (apt-get install busybox-static)',
	files: {busybox: busyboxPath() ?? ''},
	dockerfile: 'FROM scratch\nCOPY busybox /busybox\nCMD ["/busybox", "sleep", "100000"]\n',
});

/** Builds the image on the daemon unless it has it. */
export async function ensureImage(docker: Docker, recipe: ImageRecipe): Promise<void> {
	if (await docker.getImage(recipe.tag).inspect().then(() => true, () => false)) return;
	const context = pack();
	context.entry({name: 'Dockerfile'}, recipe.dockerfile);
	for (const [name, file] of Object.entries(recipe.files)) context.entry({name, mode: 0o755}, readFileSync(file));
	context.finalize();
	const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {t: recipe.tag});
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) => {
			const failed = error ?? output.find(message => message.error);
			if (failed) reject(new Error(`building ${recipe.tag}: ${(failed as {error?: string}).error ?? (failed as Error).message}`));
			else resolve();
		});
	});
}

/** Copies an image from one engine to another (docker save | docker load). */
export async function copyImage(from: Docker, to: Docker, tag: string): Promise<void> {
	const archive = await from.getImage(tag).get();
	const response = (await to.loadImage(archive as unknown as string)) as unknown as NodeJS.ReadableStream;
	let text = '';
	for await (const chunk of response as AsyncIterable<Buffer>) text += chunk.toString();
	if (/"error"/.test(text)) throw new Error(`loading ${tag}: ${text}`);
}
