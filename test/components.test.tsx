// The presentational components, rendered by Ink into a string (ink-testing-library).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import {buildRows} from '../source/state/rows.ts';
import {ContainerList} from '../source/ui/components/container-list.tsx';
import {DetailsPane} from '../source/ui/components/details-pane.tsx';
import {HelpOverlay} from '../source/ui/components/help-overlay.tsx';
import {Header} from '../source/ui/components/header.tsx';
import {StatusLine} from '../source/ui/components/status-line.tsx';
import {buildKeymap} from '../source/ui/keymap.ts';
import {darkTheme, monochromeTheme} from '../source/ui/theme.ts';
import {createDocker} from '../source/client/connect.ts';
import type {ContainerFeed} from '../source/client/container-feed.ts';
import {stripColour} from '../source/state/log-line.ts';
import {initialViewState, viewReducer} from '../source/state/view.ts';
import {App} from '../source/ui/app.tsx';
import {firstPaintLines} from '../source/ui/first-paint.ts';
import {makeContainer} from './helpers/fixtures.ts';

const listProps = {
	top: 0,
	height: 5,
	width: 76,
	focused: true,
	pending: {},
	now: 0,
	theme: darkTheme,
	title: 'Containers',
	filter: '',
	filterEditing: false,
	emptyText: 'no containers',
};

test('the list draws header, rows, group headers and the selection marker, and only the rows in its window', () => {
	const containers = Array.from({length: 30}, (_, index) => makeContainer({name: `svc-${String(index).padStart(2, '0')}`, id: `id${index}`}));
	containers.push(makeContainer({name: 'api', id: 'api', project: 'shop', ports: '8080->80/tcp'}));
	const rows = buildRows(containers);
	const {lastFrame} = render(<ContainerList {...listProps} rows={rows} selectedId="id2" top={1} />);
	const frame = lastFrame()!;
	const lines = frame.split('\n');
	assert.equal(lines.length, 5 + 4, 'rows plus borders, title and header');
	assert.match(frame, /NAME +IMAGE +STATE +STATUS/);
	assert.match(frame, /▸ svc-02 +busybox +running +Up 5 minutes/);
	assert.doesNotMatch(frame, /svc-00/, 'rows above the window are not drawn');
	assert.doesNotMatch(frame, /svc-06/, 'rows below the window are not drawn');
});

test('a pending action replaces the state word; a project header shows its counts', () => {
	const rows = buildRows([makeContainer({name: 'api', id: 'api', project: 'shop'}), makeContainer({name: 'db', id: 'db', project: 'shop', state: 'exited'})]);
	const {lastFrame} = render(<ContainerList {...listProps} rows={rows} selectedId="api" pending={{api: 'restart'}} />);
	assert.match(lastFrame()!, /▾ shop +1\/2 running/);
	assert.match(lastFrame()!, /api +busybox +restarting…/);
});

test('the filter shows in the title while it is typed', () => {
	const {lastFrame} = render(<ContainerList {...listProps} rows={[]} filter="we" filterEditing emptyText="no container matches the filter" />);
	assert.match(lastFrame()!, /Containers +\/we▏/);
	assert.match(lastFrame()!, /no container matches the filter/);
});

test('the details pane shows its tabs, the window of lines and the position', () => {
	const lines = Array.from({length: 50}, (_, index) => `log line ${index}`);
	const {lastFrame} = render(<DetailsPane tab={0} lines={lines} top={40} height={5} width={60} focused={false} theme={darkTheme} position="following" title="web" />);
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

test('the status line shows hints, or the notice, or a question', () => {
	const base = {width: 100, hints: 's stop · q quit', theme: darkTheme};
	assert.match(render(<StatusLine {...base} />).lastFrame()!, /^s stop · q quit/);
	const notice = render(<StatusLine {...base} notice={{id: 1, text: 'stopped web', tone: 'success'}} />).lastFrame()!;
	assert.match(notice, /stopped web/);
	assert.doesNotMatch(notice, /q quit/);
	assert.match(render(<StatusLine {...base} prompt="Remove web? y yes · n no" />).lastFrame()!, /Remove web\? y yes · n no/);
});

test('help lists the keys in force, overrides included, and fits 80x24', () => {
	const {keys} = buildKeymap({stop: 'x'});
	const {lastFrame} = render(<HelpOverlay keys={keys} width={80} height={22} theme={darkTheme} />);
	const frame = lastFrame()!;
	assert.match(frame, /x +stop/);
	assert.doesNotMatch(frame, /\bs +stop/);
	assert.match(frame, /K +kill/);
	assert.ok(frame.split('\n').length <= 22);
});

for (const theme of [darkTheme, monochromeTheme])
test(`the first frame drawn before Ink loads is the frame the App then draws, character for character (${theme.name} theme)`, async () => {
	const containers = [
		...Array.from({length: 12}, (_, index) => makeContainer({name: `svc-${index}`, id: `svc${index}`, statusAt: Date.now()})),
		makeContainer({name: 'old', id: 'old', state: 'exited', status: 'Exited (0) 2 hours ago', statusAt: Date.now()}),
		makeContainer({name: 'api', id: 'api', project: 'shop', ports: '8080->80/tcp', statusAt: Date.now()}),
	];
	// The App reads details, figures and machine facts from an engine that is not there: they
	// fail after the first frame, which is all this compares.
	const docker = createDocker({kind: 'unix', socketPath: '/nonexistent/berth-test.sock', url: 'unix:///nonexistent/berth-test.sock'});
	const feed: ContainerFeed = {subscribe: () => () => undefined, early: () => ({containers, connected: true}), onFirstList: () => undefined, stop: () => undefined};
	const initialState = viewReducer(viewReducer(initialViewState(), {type: 'connection', status: 'connected'}), {type: 'synced', containers});
	const {lastFrame, unmount} = render(
		<App docker={docker} feed={feed} hostLabel="unix:///var/run/docker.sock" engineLabel="Docker 20.10.24" keymap={buildKeymap()} theme={theme} initialState={initialState} />,
	);
	const inkFrame = lastFrame()!;
	unmount();
	// ink-testing-library's terminal is 100 columns wide; its rows are unset, so the App takes 24.
	const painted = firstPaintLines({containers, columns: 100, rows: 24, engineLabel: 'Docker 20.10.24', hostLabel: 'unix:///var/run/docker.sock', theme})!;
	const plain = (text: string) => stripColour(text).trimEnd();
	assert.deepEqual(painted.map(plain), inkFrame.split('\n').map(plain));
});
