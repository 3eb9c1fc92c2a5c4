import { makeStatusCredential } from '#shared/status/basic-auth.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';

export const statusPasswordCommand: Command = {
  name: 'status-password',
  summary: 'make the credential that turns the status endpoint private (HTTP Basic)',
  usage: `news-monitor status-password [--user NAME] [--json]

Asks for a password (or reads the first line of stdin when it is not a terminal) and prints
the value that makes the status endpoint private: a salted scrypt hash of it, never the password.
Deploy with it:  npx cdk deploy -c statusAuth='<value>'   (or "statusAuth" in cdk.json)
Serve with it:   news-monitor serve --port 8080 --auth '<value>'
Readers then sign in as NAME with the password.
  --user NAME   the user name readers sign in with (default monitor)
With --json: {"user", "statusAuth"}.`,
  async run({ argv, stdin, stdout, stderr }) {
    const { values } = parseCommandArgs('status-password', argv, {
      ...COMMON_OPTIONS,
      user: { type: 'string', default: 'monitor' },
    });
    const out = new CliOutput(values.json, stdout, stderr);
    const password = await readPassword(stdin, stderr);
    let statusAuth: string;
    try {
      statusAuth = await makeStatusCredential(values.user, password);
    } catch (error) {
      throw new UsageError(`status-password: ${(error as Error).message}`);
    }
    out.record({ user: values.user, statusAuth });
    if (!values.json) stdout.write(`${statusAuth}\n`);
    out.note(`Deploy: npx cdk deploy -c statusAuth='${statusAuth}'`);
    out.note(`Local:  npm run cli -- serve --port 8080 --auth '${statusAuth}'`);
    out.note(`Readers sign in as "${values.user}" with the password you typed.`);
    return 0;
  },
};

/** The first line of stdin; on a terminal, typed without echo after a prompt on stderr. */
async function readPassword(stdin: NodeJS.ReadableStream, stderr: NodeJS.WritableStream): Promise<string> {
  const terminal = stdin as NodeJS.ReadStream;
  if (terminal.isTTY && typeof terminal.setRawMode === 'function') {
    stderr.write('Password (not shown): ');
    terminal.setRawMode(true);
    try {
      return await typedLine(terminal);
    } finally {
      terminal.setRawMode(false);
      terminal.pause();
      stderr.write('\n');
    }
  }
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function typedLine(terminal: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          terminal.off('data', onData);
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          terminal.off('data', onData);
          reject(new UsageError('status-password: cancelled'));
          return;
        }
        typed = char === '\u007f' || char === '\b' ? [...typed].slice(0, -1).join('') : typed + char;
      }
    };
    terminal.on('data', onData);
    terminal.resume();
  });
}
