// The pure parts of hands-on sessions: splitting a typed command without a shell, detach keys
// and how typed input is watched for them, the line editing for a process with no TTY, and which
// configured shell a container gets.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {joinCommand, splitCommand} from '../../source/shared/argv.ts';
import {parseDetachKeys, watchForDetach} from '../../source/state/hands-on/detach-keys.ts';
import {lineEditor} from '../../source/state/hands-on/line-editor.ts';
import {configuredShell, globMatches} from '../../source/state/hands-on/shells.ts';

test('a command splits into words as a shell would, with nothing expanded', () => {
	assert.deepEqual(splitCommand('ps aux'), {argv: ['ps', 'aux']});
	assert.deepEqual(splitCommand(`sh -c 'echo $HOME; exit 3'`), {argv: ['sh', '-c', 'echo $HOME; exit 3']});
	assert.deepEqual(splitCommand('echo "a \\"b\\" c" d\\ e \'\''), {argv: ['echo', 'a "b" c', 'd e', '']});
	assert.deepEqual(splitCommand('  ls   -l  '), {argv: ['ls', '-l']});
	assert.deepEqual(splitCommand('x; rm -rf ~'), {argv: ['x;', 'rm', '-rf', '~']}, 'a semicolon is a character, not a separator');
	assert.match((splitCommand(`echo 'open`) as {error: string}).error, /single quote is never closed/);
	assert.match((splitCommand('echo \\') as {error: string}).error, /backslash/);
});

test('joinCommand quotes only what needs it, and splits back to the same words', () => {
	const words = ['sh', '-c', "echo 'hi' $X", 'plain/path', ''];
	assert.equal(joinCommand(['ls', '-l', '/tmp']), 'ls -l /tmp');
	assert.deepEqual(splitCommand(joinCommand(words)), {argv: words});
});

test('detach keys: docker\'s spellings, and bad ones refused', () => {
	assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), {bytes: [16, 17]});
	assert.deepEqual(parseDetachKeys('ctrl-a,d'), {bytes: [1, 100]});
	assert.deepEqual(parseDetachKeys('ctrl-@,ctrl-['), {bytes: [0, 27]});
	assert.ok('error' in parseDetachKeys('ctrl-1'));
	assert.ok('error' in parseDetachKeys('alt-x'));
});

test('typed input is watched for the detach keys: held while they may be starting, sent on when not', () => {
	const watcher = watchForDetach([16, 17]);
	assert.deepEqual(watcher.feed(Buffer.from('ab')), {forward: Uint8Array.from([97, 98]), detach: false});
	assert.deepEqual(watcher.feed(Uint8Array.from([16])), {forward: Uint8Array.from([]), detach: false}, 'ctrl-p waits');
	assert.deepEqual(watcher.feed(Uint8Array.from([120])), {forward: Uint8Array.from([16, 120]), detach: false}, 'a broken sequence is sent whole');
	assert.deepEqual(watcher.feed(Uint8Array.from([16, 16])), {forward: Uint8Array.from([16]), detach: false}, 'a second ctrl-p may start it again');
	assert.deepEqual(watcher.feed(Uint8Array.from([17])), {forward: Uint8Array.from([]), detach: true});
	assert.deepEqual(watchForDetach([16, 17]).feed(Uint8Array.from([104, 16, 17, 105])), {forward: Uint8Array.from([104]), detach: true}, 'split across chunks or not');
});

test('the line editor: echo, backspace, Ctrl-U, Enter, Ctrl-C, Ctrl-D, arrows ignored', () => {
	const editor = lineEditor();
	assert.deepEqual(editor.feed('héllo'), {echo: 'héllo', send: [], interrupt: false, endOfInput: false});
	assert.deepEqual(editor.feed('\u007F\u007F').echo, '\b \b\b \b');
	assert.deepEqual(editor.feed('\u001B[Ap\r').send, ['hélp\n'], 'the arrow is not text');
	assert.deepEqual(editor.feed('abc\u0015x\r').send, ['x\n']);
	assert.equal(editor.feed('\u0003').interrupt, true);
	assert.deepEqual(editor.feed('part\u0004'), {echo: 'part', send: ['part'], interrupt: false, endOfInput: false});
	assert.equal(editor.feed('\u0004').endOfInput, true, 'Ctrl-D on an empty line ends the input');
});

test('a configured shell by container name or image pattern, first match wins', () => {
	const shells = [
		{pattern: 'db-*', command: ['bash', '-l']},
		{pattern: 'postgres', command: ['/bin/sh']},
		{pattern: 'registry.local:5000/team/*', command: ['ash']},
	];
	assert.deepEqual(configuredShell(shells, {name: 'db-1', image: 'postgres:16'}), ['bash', '-l']);
	assert.deepEqual(configuredShell(shells, {name: 'main', image: 'postgres:16'}), ['/bin/sh'], 'the image without its tag');
	assert.deepEqual(configuredShell(shells, {name: 'c', image: 'registry.local:5000/team/cache:7'}), ['ash']);
	assert.equal(configuredShell(shells, {name: 'web', image: 'nginx'}), undefined);
	assert.ok(globMatches('a?c.*', 'abc.d') && !globMatches('a?c.*', 'abcxd'), 'dots are literal');
});

test('the config: shells as strings or words, detach keys of berth, else of the docker CLI, else docker\'s', async () => {
	const {mkdtempSync, rmSync, writeFileSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const path = await import('node:path');
	const {loadConfig} = await import('../../source/config/config.ts');
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	const dockerConfig = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
	try {
		const env = {BERTH_CONFIG_DIR: directory, DOCKER_CONFIG: dockerConfig};
		writeFileSync(path.join(directory, 'config.json'), JSON.stringify({shells: {'db-*': 'bash -l', 'web': ['/bin/sh'], bad: 3}}));
		let loaded = loadConfig(env);
		assert.deepEqual(loaded.config.shells, [{pattern: 'db-*', command: ['bash', '-l']}, {pattern: 'web', command: ['/bin/sh']}]);
		assert.match(loaded.problems.join(), /the shell for "bad" must be a command/);
		assert.equal(loaded.config.detachKeys, 'ctrl-p,ctrl-q');
		writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({detachKeys: 'ctrl-a,d'}));
		assert.equal(loadConfig(env).config.detachKeys, 'ctrl-a,d', 'the docker CLI\'s own setting');
		writeFileSync(path.join(directory, 'config.json'), JSON.stringify({detachKeys: 'ctrl-x,ctrl-y'}));
		assert.equal(loadConfig(env).config.detachKeys, 'ctrl-x,ctrl-y');
		writeFileSync(path.join(directory, 'config.json'), JSON.stringify({detachKeys: 'alt-x'}));
		loaded = loadConfig(env);
		assert.equal(loaded.config.detachKeys, 'ctrl-p,ctrl-q');
		assert.match(loaded.problems.join(), /"detachKeys" .*"alt-x" is not a key/);
	} finally {
		rmSync(directory, {recursive: true, force: true});
		rmSync(dockerConfig, {recursive: true, force: true});
	}
});

test('custom commands: checked at load, templates filled word by word, and their keys in the keymap', async () => {
	const {customCommandSpecs, expandTemplate, readCustomCommands, templateProblem} = await import('../../source/state/hands-on/custom-commands.ts');
	const {buildKeymap, keysIn} = await import('../../source/ui/keymap.ts');
	const {commands, problems} = readCustomCommands(
		[
			{name: 'dive', key: 'I', scope: 'image', command: 'dive {{.ID}}', terminal: true},
			{name: 'note', command: ['echo', 'note={{.Labels.com.example.note}}']},
			{name: 'bad field', command: 'echo {{.Nmae}}'},
			{name: 'bad scope', scope: 'pod', command: 'true'},
			{name: 'unclosed', command: "echo 'x"},
			{command: 'nameless'},
		],
		'config.json',
	);
	assert.deepEqual(commands.map(command => command.name), ['dive', 'note']);
	assert.deepEqual(commands[0], {name: 'dive', key: 'I', scope: 'image', command: ['dive', '{{.ID}}'], terminal: true});
	assert.equal(problems.length, 4);
	assert.match(problems.join('\n'), /commands\[2\] \(bad field\): \{\{\.Nmae\}\} is not a field of a container/);
	assert.equal(templateProblem(['{{.Labels.x}}'], 'image'), '{{.Labels.x}} is not a field of an image (ID, Name, Host)');
	const values = {fields: {Name: 'web; rm -rf ~', ID: 'abc'}, labels: {'com.example.note': `it's "so"`}};
	assert.deepEqual(expandTemplate(['sh', '-c', 'echo "$1"', '{{.Name}}', 'id={{ .ID }}', '{{.Labels.com.example.note}}', '{{.Labels.missing}}'], values), ['sh', '-c', 'echo "$1"', 'web; rm -rf ~', 'id=abc', `it's "so"`, '']);
	const keymap = buildKeymap({}, customCommandSpecs(commands));
	assert.equal(keymap.lookupIn('images').get('I'), 'custom.0', 'its key works where its scope is');
	assert.equal(keymap.lookupIn('containers').get('I'), undefined);
	assert.ok(keysIn(keymap, 'images').some(entry => entry.command.help === 'dive'), 'and help lists it');
	const clash = buildKeymap({}, customCommandSpecs(readCustomCommands([{name: 'mine', key: 's', command: 'true'}], 'c').commands));
	assert.equal(clash.lookupIn('containers').get('s'), 'custom.0', "the user's own key wins over a default");
	assert.deepEqual(clash.keys.stop, [], 'which gives it up');
});

test('joinCommand picks the quoting that reads best', () => {
	assert.equal(joinCommand(['sh', '-c', "trap 'exit 0' TERM"]), `sh -c "trap 'exit 0' TERM"`);
	assert.equal(joinCommand(['echo', `it's $HOME`]), `echo 'it'\\''s $HOME'`);
	for (const words of [["a'b", 'c"d'], [`x'"$y`], ['']]) assert.deepEqual(splitCommand(joinCommand(words)), {argv: words});
});
