// A real terminal for end-to-end tests: tmux runs berth in a pseudo-terminal of a given size, keys
// are typed with send-keys, and the screen a person would see is read with capture-pane.
import {execFileSync, spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const berthBin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'berth.js');

let sessions = 0;

export type TerminalOptions = {
	args?: string[];
	/** Another program to run instead of berth (the docker CLI, say). */
	command?: string[];
	env?: Record<string, string | undefined>;
	columns?: number;
	rows?: number;
};

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export class Terminal {
	private readonly socket = `berth-e2e-${process.pid}-${++sessions}`;

	constructor(options: TerminalOptions = {}) {
		const program = (options.command ?? ['node', berthBin, ...(options.args ?? [])]).map(quote).join(' ');
		// After the program exits, the shell reports its exit code and whether the tty is back in cooked mode.
		const script = `${program}; code=$?; printf '\\n[exit %s] ' "$code"; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; printf '[end]'; sleep 600`;
		// The tmux server, and so berth, gets this environment: it is started by this very call.
		const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color', ...options.env};
		delete env.TMUX;
		for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
		execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'berth', '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), 'sh', '-c', script], {env});
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
	}
}
