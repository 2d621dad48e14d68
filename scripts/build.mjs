// Bundles berth into dist/: one entry file plus lazily loaded chunks, so that start-up reads one
// small file and the TUI's code is loaded only when the TUI runs.
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

// dockerode loads these at start-up for features berth never uses: docker-modem's own SSH client
// (berth runs the system's ssh instead) and BuildKit sessions (berth builds no images). They are
// replaced by modules that fail loudly if ever reached, which keeps a megabyte out of start-up.
const unusedByBerth = {
	name: 'unused-by-berth',
	setup(context) {
		context.onResolve({filter: /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/}, args => ({path: args.path, namespace: 'unused-by-berth'}));
		context.onLoad({filter: /.*/, namespace: 'unused-by-berth'}, args => ({
			contents: `const fail = () => { throw new Error(${JSON.stringify('berth does not bundle ')} + ${JSON.stringify(args.path)}); };
module.exports = new Proxy({}, {get: (_, key) => key === '__esModule' ? false : fail});`,
			loader: 'js',
		}));
	},
};

// Small source patches to dependencies, each checked so that an upgrade that changes the code
// fails the build instead of silently dropping the patch.
const patches = [
	{
		// Ink 6.8's incremental renderer moves the cursor up one line too few when the previous
		// frame ended with a newline (every frame shorter than the terminal does), so each frame
		// lands a row lower than the last. Fixed upstream only in Ink 7, which needs Node 22.
		file: /ink[\\/]build[\\/]log-update\.js$/,
		from: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
		to: "buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));",
	},
	{
		// Yoga's loader fetch()es its inline base64 WebAssembly when fetch exists, which makes
		// Node load its whole fetch implementation (undici) at start-up: about 100 ms here. The
		// loader's own synchronous base64 path gives the same bytes.
		file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
		from: '"function"!=typeof fetch',
		to: '!0',
		all: true,
	},
	{
		// docker-modem formats every request's options with util.inspect (showHidden, unlimited depth)
		// for its debug log even when that log is off: about 5 ms a request here.
		file: /docker-modem[\\/]lib[\\/]modem\.js$/,
		from: "debug('Sending: %s', util.inspect(options, {",
		to: "if (debug.enabled) debug('Sending: %s', util.inspect(options, {",
	},
];

// Modules dockerode and docker-modem load at start-up for features the first frame never needs
// (building images, TLS, hijacked streams): each is loaded on first use instead.
const lazyRequires = [
	{file: /dockerode[\\/]lib[\\/]util\.js$/, module: "'@balena/dockerignore'"},
	{file: /dockerode[\\/]lib[\\/]util\.js$/, module: "'tar-fs'"},
	{file: /dockerode[\\/]lib[\\/]util\.js$/, module: "'zlib'"},
	{file: /docker-modem[\\/]lib[\\/]modem\.js$/, module: "'./http_duplex'"},
	{file: /docker-modem[\\/]lib[\\/]http\.js$/, module: "'https'"},
];
for (const lazy of lazyRequires) patches.push({file: lazy.file, from: `require(${lazy.module})`, to: `__berthLazy(() => require(${lazy.module}))`});

const patchDependencies = {
	name: 'patch-dependencies',
	setup(context) {
		// Several patches may touch one file: they are applied together.
		context.onLoad({filter: new RegExp(patches.map(patch => patch.file.source).join('|'))}, async args => {
			let source = await readFile(args.path, 'utf8');
			for (const patch of patches.filter(candidate => candidate.file.test(args.path))) {
				if (!source.includes(patch.from)) throw new Error(`patch-dependencies: ${args.path} changed; check whether its patch is still needed`);
				source = patch.all ? source.replaceAll(patch.from, patch.to) : source.replace(patch.from, patch.to);
			}

			return {contents: source, loader: 'js'};
		});
	},
};

const result = await build({
	plugins: [unusedByBerth, patchDependencies],
	entryPoints: {berth: 'source/cli/main.ts'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: !process.env.BERTH_NO_MINIFY,
	sourcemap: 'linked',
	chunkNames: 'chunks/[name]-[hash]',
	legalComments: 'linked',
	define: {
		'process.env.NODE_ENV': '"production"',
		__BERTH_VERSION__: JSON.stringify(pkg.version),
	},
	// CommonJS dependencies call require(); give the ESM bundle a real one.
	banner: {js: "#!/usr/bin/env -S node --max-semi-space-size=1\nimport {createRequire as __berthRequire} from 'node:module';const require=__berthRequire(import.meta.url);import {dirname as __berthDirname} from 'node:path';import {fileURLToPath as __berthFile} from 'node:url';const __filename=__berthFile(import.meta.url);const __dirname=__berthDirname(__filename);const __berthLazy=load=>{let loaded;const get=()=>(loaded??=load());return new Proxy(function(){},{get:(_,key)=>get()[key],apply:(_,self,args)=>Reflect.apply(get(),self,args),construct:(_,args)=>Reflect.construct(get(),args)});};"},
	// Optional native add-ons and Ink's development-only devtools: loaded in try/catch or never.
	external: ['cpu-features', '*.node', 'react-devtools-core'],
	logLevel: "warning",
	metafile: Boolean(process.env.BERTH_METAFILE),
});

// Run as a program (npm links it as the `berth` command). Its first line starts Node with a 1 MB
// young generation: V8 otherwise lets that grow to 16 MB a half as the TUI redraws, which was
// most of berth's memory beyond Node's own (measured in bench/scale.py).
const {chmod} = await import('node:fs/promises');
await chmod(new URL('../dist/berth.js', import.meta.url), 0o755);

// BERTH_METAFILE=path writes esbuild's account of what went into each output file (for size work).
if (process.env.BERTH_METAFILE) {
	const {writeFile} = await import('node:fs/promises');
	await writeFile(process.env.BERTH_METAFILE, JSON.stringify(result.metafile));
}
