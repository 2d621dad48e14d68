// How berth looks on different terminals: themes, NO_COLOR, and ASCII for non-UTF-8 locales.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {localeIsUtf8, toAscii} from '../../source/ui/ascii-output.ts';
import {chooseTheme, darkTheme, lightTheme, monochromeTheme} from '../../source/ui/theme.ts';

test('a theme: NO_COLOR or --no-color first, then --theme or the config, then COLORFGBG, else dark', () => {
	assert.equal(chooseTheme({}, {}), darkTheme);
	assert.equal(chooseTheme({}, {NO_COLOR: '1'}), monochromeTheme);
	assert.equal(chooseTheme({}, {NO_COLOR: ''}), darkTheme, 'an empty NO_COLOR does not count (no-color.org)');
	assert.equal(chooseTheme({noColor: true, theme: 'light'}, {}), monochromeTheme);
	assert.equal(chooseTheme({theme: 'light'}, {}), lightTheme);
	assert.equal(chooseTheme({theme: 'none'}, {}), monochromeTheme);
	assert.equal(chooseTheme({}, {COLORFGBG: '0;15'}), lightTheme, 'a terminal that says its background is white');
	assert.equal(chooseTheme({}, {COLORFGBG: '15;default;0'}), darkTheme);
	assert.equal(chooseTheme({theme: 'dark'}, {COLORFGBG: '0;15'}), darkTheme);
	assert.equal(monochromeTheme.colour, false);
	assert.ok(Object.values(monochromeTheme.state).every(colour => colour === undefined));
});

test('the locale decides UTF-8 as the C library does: LC_ALL, then LC_CTYPE, then LANG', () => {
	assert.equal(localeIsUtf8({LANG: 'en_US.UTF-8'}), true);
	assert.equal(localeIsUtf8({LANG: 'C.utf8'}), true);
	assert.equal(localeIsUtf8({LANG: 'C'}), false);
	assert.equal(localeIsUtf8({}), false, 'no locale at all is the C locale');
	assert.equal(localeIsUtf8({LANG: 'en_US.UTF-8', LC_ALL: 'C'}), false);
	assert.equal(localeIsUtf8({LANG: 'C', LC_CTYPE: 'de_DE.UTF-8'}), true);
});

test('ASCII output keeps every column: lines, marks, braille by density, wide characters as two', () => {
	assert.equal(toAscii('╭──╮\n│▸ a│\n╰──╯'), '+--+\n|> a|\n+--+');
	assert.equal(toAscii('CPU↓ · web…'), 'CPUv - web~');
	assert.equal(toAscii('⠀⡀⣿'), ' .%');
	assert.equal(toAscii('名前x'), '????x');
	assert.equal(toAscii('e\u0301'), 'e', 'combining marks take no column');
	assert.equal(toAscii('\u001B[1;36mplain\u001B[0m'), '\u001B[1;36mplain\u001B[0m');
	const frame = '│\u001B[32mrunning\u001B[39m│';
	assert.equal(toAscii(frame), '|\u001B[32mrunning\u001B[39m|');
});
