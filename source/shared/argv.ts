// A command line as typed ("ps aux", "sh -c 'echo $HOME'") split into its arguments the way a
// POSIX shell splits words, without a shell: no variables, globs or pipes are expanded, so what
// is typed is exactly what runs. Pure.

export type Split = {argv: string[]} | {error: string};

export function splitCommand(text: string): Split {
	const argv: string[] = [];
	let word = '';
	let inWord = false;
	let quote: "'" | '"' | undefined;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (quote === "'") {
			if (char === "'") quote = undefined;
			else word += char;
			continue;
		}

		if (quote === '"') {
			if (char === '"') quote = undefined;
			else if (char === '\\' && index + 1 < text.length && '"\\$`'.includes(text[index + 1]!)) word += text[++index];
			else word += char;
			continue;
		}

		if (char === "'" || char === '"') {
			quote = char;
			inWord = true;
		} else if (char === '\\') {
			if (index + 1 >= text.length) return {error: 'a backslash at the end escapes nothing'};
			word += text[++index];
			inWord = true;
		} else if (/\s/.test(char)) {
			if (inWord) argv.push(word);
			word = '';
			inWord = false;
		} else {
			word += char;
			inWord = true;
		}
	}

	if (quote) return {error: `the ${quote === "'" ? 'single' : 'double'} quote is never closed`};
	if (inWord) argv.push(word);
	return {argv};
}

/** The reverse, for showing an argv: words quoted only where they must be. */
export function joinCommand(argv: readonly string[]): string {
	return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
	if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
	if (!word.includes("'")) return `'${word}'`;
	// Double quotes read better than '\'' where nothing in the word is special inside them.
	if (!/["\\$`]/.test(word)) return `"${word}"`;
	return `'${word.replaceAll("'", `'\\''`)}'`;
}
