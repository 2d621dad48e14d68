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

// Ink 6.8's incremental renderer moves the cursor up one line too few when the previous frame
// ended with a newline (every frame shorter than the terminal does), so each frame lands one row
// lower than the last. Fixed here until berth can move to an Ink with the fix (7.x needs Node 22).
const inkIncrementalFix = {
	name: 'ink-incremental-fix',
	setup(context) {
		context.onLoad({filter: /ink[\\/]build[\\/]log-update\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const broken = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
			if (!source.includes(broken)) throw new Error(`ink-incremental-fix: ${args.path} changed; check whether the fix is still needed`);
			const fixed = "buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));";
			return {contents: source.replace(broken, fixed), loader: 'js'};
		});
	},
};

await build({
	plugins: [unusedByBerth, inkIncrementalFix],
	entryPoints: {berth: 'source/cli/main.ts'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: true,
	sourcemap: 'linked',
	chunkNames: 'chunks/[name]-[hash]',
	legalComments: 'linked',
	define: {
		'process.env.NODE_ENV': '"production"',
		__BERTH_VERSION__: JSON.stringify(pkg.version),
	},
	// CommonJS dependencies call require(); give the ESM bundle a real one.
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __berthRequire} from 'node:module';const require=__berthRequire(import.meta.url);import {dirname as __berthDirname} from 'node:path';import {fileURLToPath as __berthFile} from 'node:url';const __filename=__berthFile(import.meta.url);const __dirname=__berthDirname(__filename);"},
	// Optional native add-ons and Ink's development-only devtools: loaded in try/catch or never.
	external: ['cpu-features', '*.node', 'react-devtools-core'],
	logLevel: 'warning',
});
