// Copying to the clipboard of the terminal in front of the person, wherever berth runs: OSC 52
// asks the terminal itself, so it works over SSH and in tmux (with set-clipboard on).

export function copyToClipboard(stdout: NodeJS.WriteStream, text: string): void {
	stdout.write(`\u001B]52;c;${Buffer.from(text).toString('base64')}\u0007`);
}
