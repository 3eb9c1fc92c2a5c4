#!/usr/bin/env -S node --import tsx
// Local mode talks to an embedded DynamoDB only; the SDK's notice about future Node versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { describeError, UserInputError } from '#shared/errors.ts';
import { findCommand, loadAllCommands } from './command-list.ts';

async function help(): Promise<string> {
  const commands = await loadAllCommands();
  return `news-monitor: follow a developing news story from its feeds

Usage: news-monitor <command> [options]     (from source: npm run cli -- <command>)

Commands:
${commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Every command takes --help, and --json for machine-readable output on stdout.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = findCommand(name);
  if (!load) {
    process.stderr.write(`news-monitor: unknown command "${name}"; run "news-monitor --help" for the list\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping (Ctrl-C again to force)...\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await command.run({
      argv: rest,
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      stopSignal: stop.signal,
    });
  } catch (error) {
    if (error instanceof UserInputError) {
      process.stderr.write(`news-monitor: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`news-monitor ${name}: ${describeError(error)}\n`);
    if (process.env.NEWS_MONITOR_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main(process.argv.slice(2));
