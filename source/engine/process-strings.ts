// What the kernel refuses in a process's arguments and environment, refused before anything
// changes (as a 400), not met as a failed start: a NUL byte ends a C string, and one string of
// 128 KiB or more (MAX_ARG_STRLEN) makes execve fail with E2BIG.
import {badRequest} from './errors.ts';

const maxStringBytes = 128 * 1024 - 1;

export function checkProcessStrings(strings: string[]): void {
	for (const value of strings) {
		if (value.includes('\0')) throw badRequest('invalid argument: a command, environment or working directory holds a NUL byte');
		const bytes = Buffer.byteLength(value);
		if (bytes > maxStringBytes) throw badRequest(`argument list too long: one argument or environment entry is ${bytes} bytes, at most ${maxStringBytes} are allowed`);
	}
}
