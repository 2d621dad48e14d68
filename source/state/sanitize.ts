// Text from a container is never trusted to reach the terminal as it is: escape sequences
// (cursor moves, clears, title changes, OSC) and control characters are removed, a carriage
// return keeps only what was drawn last (progress bars), and tabs become spaces.

// CSI, OSC (ended by BEL or ST), other two-byte escapes, and C1 controls.
// eslint-disable-next-line no-control-regex
const escapeSequences = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function sanitizeLine(text: string, tabWidth = 8): string {
	let line = text;
	if (line.includes('\r')) {
		const parts = line.split('\r').filter(part => part !== '');
		line = parts.at(-1) ?? '';
	}

	line = line.replace(escapeSequences, '').replace(controlCharacters, '');
	if (line.includes('\t')) {
		let out = '';
		for (const char of line) {
			out += char === '\t' ? ' '.repeat(tabWidth - (out.length % tabWidth)) : char;
		}

		line = out;
	}

	return line;
}
