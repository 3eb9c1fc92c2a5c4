import { describe, expect, it } from 'vitest';
import { BasicAuthGate, parseStatusCredential } from '#shared/status/basic-auth.ts';
import { jsonLines, runCli } from '../helpers/cli.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('news-monitor status-password', () => {
  it('reads the password from stdin and prints the context value, which holds no password', async () => {
    const result = await runCli(['status-password', '--user', 'reader', '--json'], {
      stdin: 'open sesame 42\n',
    });
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines(result.stdout);
    expect(line).toEqual({ user: 'reader', statusAuth: expect.stringMatching(/^reader:scrypt:/) });
    expect(result.stdout + result.stderr).not.toContain('open sesame');
    const gate = new BasicAuthGate(parseStatusCredential(String(line?.statusAuth)));
    expect(await gate.allows(basic('reader', 'open sesame 42'))).toBe(true);
    expect(await gate.allows(basic('reader', 'open sesame'))).toBe(false);
  });

  it('prints how to deploy with it, for people', async () => {
    const result = await runCli(['status-password'], { stdin: 'pw\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^monitor:scrypt:\S+$/m);
    expect(result.stderr).toContain("npx cdk deploy -c statusAuth='monitor:scrypt:");
    expect(result.stderr).toContain('serve --port 8080 --auth');
  });

  it.each([
    ['an empty password', [], ''],
    ['a user name with a colon', ['--user', 'a:b'], 'pw\n'],
  ])('refuses %s with one line', async (_case, args, stdin) => {
    const result = await runCli(['status-password', ...args], { stdin });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('serve --auth refuses a value status-password did not print', async () => {
    const result = await runCli(['serve', '--port', '0', '--auth', 'hunter2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/status-password/);
  });
});
