// The terminal as berth found it must be the terminal berth leaves: the alternate screen is
// entered on start and left, with the cursor shown and raw mode off, on every way out (quit,
// Ctrl-C, SIGTERM, SIGHUP, a crash). Restoring is idempotent, so every path may call it.

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[2J';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
const resetAttributes = '\u001B[0m';

export type Screen = {restore(): void};

export function takeScreen(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Screen {
	let restored = false;
	stdout.write(enterAlternateScreen);
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (stdin.isTTY) stdin.setRawMode(false);
		} catch {
			// The terminal may already be gone (SIGHUP); nothing left to restore then.
		}

		try {
			stdout.write(resetAttributes + leaveAlternateScreen + showCursor);
		} catch {
			// As above.
		}
	};

	process.once('exit', restore);
	return {restore};
}
