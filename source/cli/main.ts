// berth's entry point. Kept small on purpose: flags are read and help or version printed before
// anything heavy loads; for the TUI, the connection and the first list request start while the
// UI's code is still loading.
import {helpText, parseCommandLine} from './args.ts';
import {version} from '../shared/version.ts';

async function main(): Promise<number> {
	const plan = parseCommandLine(process.argv.slice(2));
	switch (plan.kind) {
		case 'help': {
			process.stdout.write(`${helpText}\n`);
			return 0;
		}

		case 'version': {
			process.stdout.write(`berth ${version}\n`);
			return 0;
		}

		case 'error': {
			process.stderr.write(`berth: ${plan.message}\nRun 'berth --help' for usage.\n`);
			return 2;
		}

		case 'engine': {
			const {runEngineCommand} = await import('./engine-command.ts');
			return runEngineCommand(plan.action);
		}

		case 'client': {
			if (plan.command === 'logs') {
				const {runLogsCommand} = await import('./logs-command.ts');
				const code = await runLogsCommand(plan.args, {host: plan.host, context: plan.context});
				// Followed streams are not waited for; what was written is flushed first.
				process.stdout.write('', () => process.exit(code));
				return code;
			}

			const {runClientCommand} = await import('./client-commands.ts');
			process.exit(await runClientCommand(plan.command, plan.args, {host: plan.host, context: plan.context}));
		}

		case 'tui': {
			const {runTui} = await import('./run-tui.ts');
			// The UI's streams and timers are not waited for once it has closed.
			process.exit(await runTui({host: plan.host, context: plan.context}, {noColor: plan.noColor, theme: plan.theme}));
		}
	}
}

process.exitCode = await main();
