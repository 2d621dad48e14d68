// The presentational components, rendered by Ink into a string (ink-testing-library), and the
// first frame drawn before Ink loads compared with the App's own.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import {emptyList, type Item, type ListState, synced} from '../../source/state/list.ts';
import {stripColour} from '../../source/state/log-line.ts';
import {containersPanel} from '../../source/state/panels/containers.ts';
import {imagesPanel, type ImageItem} from '../../source/state/panels/images.ts';
import {noUsage, type PanelModel} from '../../source/state/panels/panel.ts';
import {initialScreenState, screenReducer} from '../../source/state/screen.ts';
import type {Container} from '../../source/state/container.ts';
import {App} from '../../source/ui/app.tsx';
import {DetailsPane} from '../../source/ui/components/details-pane.tsx';
import {Header} from '../../source/ui/components/header.tsx';
import {HelpOverlay} from '../../source/ui/components/help-overlay.tsx';
import {ListPane} from '../../source/ui/components/list-pane.tsx';
import {StatusLine} from '../../source/ui/components/status-line.tsx';
import {firstPaintLines} from '../../source/ui/first-paint.ts';
import {buildKeymap} from '../../source/ui/keymap.ts';
import {darkTheme, monochromeTheme} from '../../source/ui/theme.ts';
import {makeContainer} from '../helpers/fixtures.ts';
import {standInClient} from '../helpers/stand-in-client.ts';

const containers = (items: Container[], change: Partial<ListState<Container>> = {}) => ({...synced(containersPanel, emptyList<Container>(), items), ...change}) as unknown as ListState<Item>;
const pane = {panel: containersPanel as unknown as PanelModel<Item>, top: 0, height: 5, width: 76, focused: true, now: 0, usage: noUsage, theme: darkTheme, title: 'Containers'};

test('the list draws header, rows, group headers and the selection marker, and only the rows in its window', () => {
	const items = Array.from({length: 30}, (_, index) => makeContainer({name: `svc-${String(index).padStart(2, '0')}`, id: `id${index}`}));
	items.push(makeContainer({name: 'api', id: 'api', project: 'shop', ports: '8080->80/tcp'}));
	const {lastFrame} = render(<ListPane {...pane} list={containers(items, {selectedId: 'id2'})} top={1} />);
	const frame = lastFrame()!;
	assert.equal(frame.split('\n').length, 5 + 4, 'rows plus borders, title and header');
	assert.match(frame, /NAME +IMAGE +STATE +STATUS/);
	assert.match(frame, /▸ svc-02 +busybox +running +Up 5 minutes/);
	assert.doesNotMatch(frame, /svc-00/, 'rows above the window are not drawn');
	assert.doesNotMatch(frame, /svc-06/, 'rows below the window are not drawn');
});

test('a pending action replaces the state word; marks and outcomes show beside their rows; a project header shows its counts', () => {
	const list = containers([makeContainer({name: 'api', id: 'api', project: 'shop'}), makeContainer({name: 'db', id: 'db', project: 'shop', state: 'exited'}), makeContainer({name: 'zz', id: 'zz'})], {
		selectedId: 'api',
		pending: {api: 'restart'},
		marks: new Set(['zz']),
		outcomes: {db: {ok: false, text: 'failed', noticeId: 1}},
	});
	const frame = render(<ListPane {...pane} list={list} />).lastFrame()!;
	assert.match(frame, /▾ shop +1\/2 running/);
	assert.match(frame, /▸…api +busybox +restarting…/);
	assert.match(frame, / ✗db +busybox +exited/);
	assert.match(frame, / ●zz +busybox/);
});

test('the filter shows in the title while it is typed; an empty or unoffered list says why', () => {
	const filtering = containers([], {filter: 'we', filterEditing: true});
	assert.match(render(<ListPane {...pane} list={filtering} />).lastFrame()!, /Containers +\/we▏/);
	assert.match(render(<ListPane {...pane} list={filtering} />).lastFrame()!, /no container matches the filter/);
	assert.match(render(<ListPane {...pane} list={{...emptyList<Item>(), loaded: true, problem: 'berth engine 0.1.0 does not offer networks'}} />).lastFrame()!, /does not offer networks/);
	assert.match(render(<ListPane {...pane} list={emptyList<Item>()} />).lastFrame()!, /loading…/);
});

test('the images list shows tags, ids, sizes and users', () => {
	const image: ImageItem = {id: 'i|busybox:latest', imageId: `sha256:${'c'.repeat(64)}`, repository: 'busybox', tag: 'latest', reference: 'busybox:latest', created: 0, size: 1_990_000, dangling: false, name: 'busybox:latest'};
	const list = synced(imagesPanel, emptyList<ImageItem>(), [image]) as unknown as ListState<Item>;
	const usage = {...noUsage, byImage: new Map([[image.imageId, ['web']]])};
	const frame = render(<ListPane {...pane} panel={imagesPanel as unknown as PanelModel<Item>} list={list} usage={usage} title="Images (1)" />).lastFrame()!;
	assert.match(frame, /REPOSITORY:TAG +IMAGE ID +CREATED +SIZE +USED BY/);
	assert.match(frame, /▸ busybox:latest +cccccccccccc +1\.99MB +1/);
});

test('the details pane shows its tabs, the window of lines and the position', () => {
	const lines = Array.from({length: 50}, (_, index) => `log line ${index}`);
	const {lastFrame} = render(<DetailsPane tabs={containersPanel.tabs} tab={0} lines={lines} top={40} height={5} width={60} focused={false} theme={darkTheme} position="following" title="web" />);
	const frame = lastFrame()!;
	assert.match(frame, /Logs +Stats +Top +Inspect +Env +Config +following/);
	assert.match(frame, /log line 40/);
	assert.match(frame, /log line 44/);
	assert.doesNotMatch(frame, /log line 45/);
});

test('the header names the engine, the counts, the machine and the host', () => {
	const base = {width: 120, engine: 'Docker 20.10.24', host: 'unix:///var/run/docker.sock', running: 3, total: 7, connection: 'connected' as const, theme: darkTheme};
	assert.match(render(<Header {...base} resources="2 CPUs · 23.4GiB" />).lastFrame()!, /Docker 20\.10\.24 │ 3\/7 running │ unix:\/\/\/var\/run\/docker\.sock │ 2 CPUs · 23\.4GiB/);
	assert.match(render(<Header {...base} connection="disconnected" />).lastFrame()!, /Docker 20\.10\.24 │ disconnected — retrying │ unix:/);
	assert.match(render(<Header {...base} connection="connecting" />).lastFrame()!, /connecting…/);
});

test('the status line shows hints, or the notice, or a question, or what is being typed', () => {
	const base = {width: 100, hints: 's stop · q quit', theme: darkTheme};
	assert.match(render(<StatusLine {...base} />).lastFrame()!, /^s stop · q quit/);
	const notice = render(<StatusLine {...base} notice={{id: 1, text: 'stopped web', tone: 'success'}} />).lastFrame()!;
	assert.match(notice, /stopped web/);
	assert.doesNotMatch(notice, /q quit/);
	assert.match(render(<StatusLine {...base} question="Remove web? y yes · n no" />).lastFrame()!, /Remove web\? y yes · n no/);
	assert.match(render(<StatusLine {...base} input={{label: ':', text: 'im', candidates: ['images']}} />).lastFrame()!, /^:im +images/);
	assert.match(render(<StatusLine {...base} input={{label: 'Tag as', text: 'busybox:'}} />).lastFrame()!, /^Tag as: busybox:/);
});

test('help lists every key of the panel in front, overrides included, and fits 80x24', () => {
	const keymap = buildKeymap({stop: 'x'});
	// At 80x24 the overlay is 21 lines: the keys take two pages, neither cut off.
	const pages = [0, 1, 2].map(page => render(<HelpOverlay keymap={keymap} where="containers" title="berth — keys: Containers" width={80} height={21} theme={darkTheme} page={page} />).lastFrame()!);
	const frame = pages.slice(0, 2).join('\n');
	assert.match(pages[0]!, /page 1 of 2/);
	assert.equal(pages[2], pages[0], 'and the pages go round');
	assert.match(frame, /x +stop/);
	assert.doesNotMatch(frame, /\bs +stop/);
	for (const text of ['kill', 'sort by CPU', 'mark / unmark', 'images', 'command line', 'merged logs', 'copy the id', 'Space', 'remove (asks)', 'open a shell', 'compose up -d', 'undo / go back']) assert.ok(frame.includes(text), `help shows ${text}`);
	assert.doesNotMatch(frame, /…/, 'nothing cut off at 80 columns');
	assert.ok(pages.every(page => page.split('\n').length <= 21));
	const images = render(<HelpOverlay keymap={keymap} where="images" title="berth — keys: Images" width={80} height={22} theme={darkTheme} />).lastFrame()!;
	assert.match(images, /t +tag the image/);
	assert.doesNotMatch(images, /sort by CPU/, 'only the keys of the panel in front');
	const logView = render(<HelpOverlay keymap={keymap} where="logView" title="log view" width={80} height={22} theme={darkTheme} />).lastFrame()!;
	assert.match(logView, /f +follow \/ pause/);
});

for (const theme of [darkTheme, monochromeTheme])
	test(`the first frame drawn before Ink loads is the frame the App then draws, character for character (${theme.name} theme)`, async () => {
		const items = [
			...Array.from({length: 12}, (_, index) => makeContainer({name: `svc-${index}`, id: `svc${index}`, statusAt: Date.now()})),
			makeContainer({name: 'old', id: 'old', state: 'exited', status: 'Exited (0) 2 hours ago', statusAt: Date.now()}),
			makeContainer({name: 'api', id: 'api', project: 'shop', ports: '8080->80/tcp', statusAt: Date.now()}),
		];
		const client = standInClient(items);
		const initialState = screenReducer(screenReducer(initialScreenState(), {type: 'connection', status: 'connected'}), {type: 'synced', panel: 'containers', items});
		const {lastFrame, unmount} = render(<App client={client} keymap={buildKeymap()} theme={theme} initialState={initialState} />);
		const inkFrame = lastFrame()!;
		unmount();
		// ink-testing-library's terminal is 100 columns wide; its rows are unset, so the App takes 24.
		const painted = firstPaintLines({containers: items, columns: 100, rows: 24, engineLabel: 'Docker 20.10.24', hostLabel: 'unix:///var/run/docker.sock', theme})!;
		const plain = (text: string) => stripColour(text).trimEnd();
		assert.deepEqual(painted.map(plain), inkFrame.split('\n').map(plain));
	});
