import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './cli.ts';

const CLI = fileURLToPath(new URL('../../bin/news-monitor.ts', import.meta.url));

/** util-linux's script(1) gives a command a real pseudo-terminal; Debian installs it everywhere (bsdutils). */
export function scriptAvailable(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface TerminalSession {
  /** Everything the program wrote to the terminal so far, carriage returns removed. */
  screen(): string;
  /** Resolves once the screen, after `from` characters, matches; rejects after a while. */
  waitFor(pattern: RegExp, from?: number): Promise<number>;
  press(keys: string): void;
  exited: Promise<number | null>;
}

/** Runs the CLI inside a pseudo-terminal, as a person at a terminal would. */
export function runCliInTerminal(args: string[], env: Record<string, string> = {}): TerminalSession {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d).replace(/\r/g, '');
  });
  child.stderr.on('data', (d) => {
    output += String(d).replace(/\r/g, '');
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    screen: () => output,
    waitFor: (pattern, from = 0) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = setInterval(() => {
          const match = pattern.exec(output.slice(from));
          if (match) {
            clearInterval(check);
            resolve(from + match.index + match[0].length);
          } else if (Date.now() - started > 30_000) {
            clearInterval(check);
            reject(new Error(`the terminal never showed ${pattern}; it shows:\n${output}`));
          }
        }, 25);
      }),
    press: (keys) => {
      child.stdin.write(keys);
    },
    exited,
  };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
