// Typing to a process that has no terminal of its own (an attach to a container started without
// -t): berth keeps the keyboard raw, to see the detach keys and Ctrl-C, so it edits the line
// itself as a terminal in cooked mode would: echo, backspace, Ctrl-U, Enter sends the line,
// Ctrl-D on an empty line ends the input, Ctrl-C interrupts. Pure.

export type Typed = {
	/** What to show the user. */
	echo: string;
	/** Complete lines (or a Ctrl-D'd partial one) for the process. */
	send: string[];
	interrupt: boolean;
	endOfInput: boolean;
};

export type LineEditor = {feed(text: string): Typed};

export function lineEditor(): LineEditor {
	let line = '';
	// Inside an escape sequence (an arrow key, say): 'esc' after ESC, 'csi' after ESC [.
	let escape: 'esc' | 'csi' | undefined;
	return {
		feed(text) {
			const typed: Typed = {echo: '', send: [], interrupt: false, endOfInput: false};
			for (const char of text) {
				if (escape === 'esc') {
					escape = char === '[' || char === 'O' ? 'csi' : undefined;
					continue;
				}

				if (escape === 'csi') {
					if (char >= '@' && char <= '~') escape = undefined;
					continue;
				}

				switch (char) {
					case '\u001B': {
						escape = 'esc';
						break;
					}

					case '\r':
					case '\n': {
						typed.send.push(`${line}\n`);
						typed.echo += '\r\n';
						line = '';
						break;
					}

					case '\u007F':
					case '\b': {
						if (line.length === 0) break;
						line = [...line].slice(0, -1).join('');
						typed.echo += '\b \b';
						break;
					}

					case '\u0015': {
						typed.echo += '\b \b'.repeat([...line].length);
						line = '';
						break;
					}

					case '\u0003': {
						typed.interrupt = true;
						typed.echo += '^C\r\n';
						line = '';
						break;
					}

					case '\u0004': {
						if (line.length === 0) {
							typed.endOfInput = true;
						} else {
							typed.send.push(line);
							line = '';
						}

						break;
					}

					default: {
						// Other control characters are not text.
						if (char < ' ') break;
						line += char;
						typed.echo += char;
					}
				}
			}

			return typed;
		},
	};
}
