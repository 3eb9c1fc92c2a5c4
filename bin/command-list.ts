import type { Command } from './cli-io.ts';

/**
 * The CLI's commands, each loaded when run: `match` reading stdin should not first load the AWS
 * SDK and the embedded database the other commands need. (Kept out of the entry file: tsx
 * cannot read dynamic imports in a file that starts with a shebang.)
 */
export const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['run', async () => (await import('./commands/run-command.ts')).runCommand],
  ['demo', async () => (await import('./commands/demo-command.ts')).demoCommand],
  ['digest', async () => (await import('./commands/digest-command.ts')).digestCommand],
  ['serve', async () => (await import('./commands/serve-command.ts')).serveCommand],
  ['status', async () => (await import('./commands/status-command.ts')).statusCommand],
  ['match', async () => (await import('./commands/match-command.ts')).matchCommand],
  ['parse-feed', async () => (await import('./commands/parse-feed-command.ts')).parseFeedCommand],
  ['storyline', async () => (await import('./commands/storyline-command.ts')).storylineCommand],
  ['subscribe', async () => (await import('./commands/subscribe-command.ts')).subscribeCommand],
];

export function findCommand(name: string): (() => Promise<Command>) | undefined {
  return COMMANDS.find(([commandName]) => commandName === name)?.[1];
}

export async function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map(([, load]) => load()));
}
