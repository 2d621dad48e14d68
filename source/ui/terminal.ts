// The terminal as berth found it must be the terminal berth leaves: the alternate screen is
// entered on start and left, with the cursor shown and raw mode off, on every way out (quit,
// Ctrl-C, SIGTERM, SIGHUP, a crash). Restoring is idempotent, so every path may call it. The crash
// handlers are set here, with the screen, because the first list is drawn before the UI loads.
// Kept free of React and Ink: the screen is taken before they load.

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[2J';
const leaveAlternateScreen = '\u001B[?1049l';
const hideCursor = '\u001B[?25l';
const showCursor = '\u001B[?25h';
const resetAttributes = '\u001B[0m';

const signalNumbers: Record<string, number> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

export type Screen = {
	restore(): void;
	/** Leaves the alternate screen for a while (a shell in a container), the cursor shown; raw mode is the session's. */
	suspend(): void;
	/** Back on the alternate screen, cleared, the cursor hidden and the terminal raw. */
	resume(): void;
	/** Runs before the screen is restored when a signal or a crash ends berth (the UI unmounts itself there). */
	beforeExit?: () => void;
};

export function takeScreen(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Screen {
	let restored = false;
	// Whether the alternate screen is in front: leaving it when it is not would move the cursor back
	// to where it was when berth started, over what a session printed.
	let alternate = true;
	stdout.write(enterAlternateScreen + hideCursor);
	// Keys typed before the UI is ready wait in the terminal, neither echoed nor lost.
	if (stdin.isTTY) stdin.setRawMode(true);
	const screen: Screen = {
		restore() {
			if (restored) return;
			restored = true;
			try {
				if (stdin.isTTY) stdin.setRawMode(false);
			} catch {
				// The terminal may already be gone (SIGHUP); nothing left to restore then.
			}

			try {
				stdout.write(resetAttributes + (alternate ? leaveAlternateScreen : '') + showCursor);
			} catch {
				// As above.
			}
		},
		suspend() {
			if (restored || !alternate) return;
			alternate = false;
			stdout.write(resetAttributes + leaveAlternateScreen + showCursor);
		},
		resume() {
			if (restored || alternate) return;
			alternate = true;
			if (stdin.isTTY) stdin.setRawMode(true);
			stdout.write(enterAlternateScreen + hideCursor);
		},
	};

	const exit = (code: number, message?: string) => {
		try {
			screen.beforeExit?.();
		} catch {
			// A broken UI may throw while it unmounts; the screen is restored regardless.
		}

		screen.restore();
		if (message) process.stderr.write(message);
		process.exit(code);
	};

	for (const signal of Object.keys(signalNumbers)) process.once(signal, () => exit(128 + signalNumbers[signal]!));
	process.once('uncaughtException', error => exit(1, `berth: unexpected error: ${error.stack ?? error.message}\n`));
	process.once('unhandledRejection', reason => exit(1, `berth: unexpected error: ${(reason as Error)?.stack ?? String(reason)}\n`));

	process.once('exit', () => screen.restore());
	return screen;
}
