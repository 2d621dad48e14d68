// A real terminal for end-to-end tests: tmux runs berth in a pseudo-terminal of a given size, keys
// are typed with send-keys, and the screen a person would see is read with capture-pane. The
// program's environment is pinned, not inherited: a UTF-8 locale, a known TERM (set inside the
// pane, where tmux would otherwise set its own), no NO_COLOR or COLORFGBG from the calling shell,
// no docker context, and a config directory of its own, empty unless the test writes one.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const berthBin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'berth.js');

let sessions = 0;

export type TerminalOptions = {
	args?: string[];
	/** Another program to run instead of berth (the docker CLI, say). */
	command?: string[];
	/** Laid over the pinned environment; undefined removes a variable. */
	env?: Record<string, string | undefined>;
	columns?: number;
	rows?: number;
};

/** What every program under test starts with, whatever the calling shell has. */
const pinned: Record<string, string | undefined> = {
	LANG: 'C.UTF-8',
	LC_ALL: undefined,
	LC_CTYPE: undefined,
	TERM: 'xterm-256color',
	NO_COLOR: undefined,
	COLORFGBG: undefined,
	DOCKER_CONTEXT: undefined,
	DOCKER_CONFIG: undefined,
	XDG_CONFIG_HOME: undefined,
	// Benchmarks run without it; tests need not pay for it either.
	NODE_EXTRA_CA_CERTS: undefined,
	TMUX: undefined,
};

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export class Terminal {
	private readonly socket = `berth-e2e-${process.pid}-${++sessions}`;
	/** The config directory berth reads here (BERTH_CONFIG_DIR), its own unless the test names one. */
	readonly configDirectory: string;
	private readonly ownConfig: boolean;

	constructor(options: TerminalOptions = {}) {
		const program = (options.command ?? ['node', berthBin, ...(options.args ?? [])]).map(quote).join(' ');
		this.ownConfig = options.env?.BERTH_CONFIG_DIR === undefined;
		this.configDirectory = options.env?.BERTH_CONFIG_DIR ?? mkdtempSync(path.join(tmpdir(), 'berth-config-'));
		const env: Record<string, string | undefined> = {...process.env, ...pinned, BERTH_CONFIG_DIR: this.configDirectory, ...options.env};
		// Set inside the pane, after tmux has set its own TERM there.
		const settings = Object.entries(env)
			.filter(([name]) => name in pinned || name in (options.env ?? {}))
			.map(([name, value]) => (value === undefined ? `unset ${name}` : `export ${name}=${quote(value)}`))
			.join('; ');
		// After the program exits, the shell reports its exit code and whether the tty is back in cooked mode.
		const script = `${settings}; ${program}; code=$?; printf '\\n[exit %s] ' "$code"; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; printf '[end]'; sleep 600`;
		const serverEnv: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(env)) if (value !== undefined) serverEnv[key] = value;
		// OSC 52 from the program sets a tmux buffer, as it sets a terminal's clipboard: `copied()` reads it.
		execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'berth', '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), 'sh', '-c', script, ';', 'set-option', '-g', 'set-clipboard', 'on'], {env: serverEnv});
	}

	/** From now on, every byte the program writes to the terminal is appended to `file`. */
	record(file: string): void {
		this.tmux('pipe-pane', '-o', '-t', 'berth', `cat >> '${file}'`);
	}

	/** What the program last copied to the clipboard (OSC 52), or undefined. */
	copied(): string | undefined {
		try {
			return this.tmux('show-buffer');
		} catch {
			return undefined;
		}
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}

	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', 'berth');
	}

	/** The screen with its colours and attributes as escape sequences (capture-pane -e). */
	screenWithEscapes(): string {
		return this.tmux('capture-pane', '-p', '-e', '-t', 'berth');
	}

	/** Named keys as tmux knows them: Up, Down, PageDown, Escape, Tab, C-c, Enter… */
	press(...keys: string[]): void {
		this.tmux('send-keys', '-t', 'berth', ...keys);
	}

	type(text: string): void {
		this.tmux('send-keys', '-t', 'berth', '-l', '--', text);
	}

	/** Whether the alternate screen is on and the cursor is shown. */
	modes(): {alternateScreen: boolean; cursorVisible: boolean} {
		const [alternate, cursor] = this.tmux('display-message', '-p', '-t', 'berth', '#{alternate_on} #{cursor_flag}').trim().split(' ');
		return {alternateScreen: alternate === '1', cursorVisible: cursor === '1'};
	}

	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', 'berth', '-x', String(columns), '-y', String(rows));
	}

	/** The pid of the program the pane runs (the shell), for signalling berth under it. */
	berthPid(): number | undefined {
		const shell = this.tmux('display-message', '-p', '-t', 'berth', '#{pane_pid}').trim();
		const result = spawnSync('pgrep', ['-P', shell, '-f', 'berth.js'], {encoding: 'utf8'});
		const pid = Number(result.stdout.trim().split('\n')[0]);
		return Number.isFinite(pid) && pid > 0 ? pid : undefined;
	}

	async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 5000): Promise<string> {
		const matches = (screen: string) =>
			typeof expected === 'string' ? screen.includes(expected) : expected instanceof RegExp ? expected.test(screen) : expected(screen);
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (matches(screen)) return screen;
			await new Promise(resolve => setTimeout(resolve, 40));
		}

		throw new Error(`timed out waiting for ${String(expected)}; the screen was:\n${screen}`);
	}

	close(): void {
		try {
			this.tmux('kill-server');
		} catch {
			// Already gone.
		}

		if (this.ownConfig) rmSync(this.configDirectory, {recursive: true, force: true});
	}
}
