import { describe, expect, it } from 'vitest';
import {
  BasicAuthGate,
  makeStatusCredential,
  parseStatusCredential,
  StatusCredentialError,
} from '#shared/status/basic-auth.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the status credential', () => {
  it('is a salted scrypt hash that holds neither the password nor the same value twice', async () => {
    const one = await makeStatusCredential('reader', 'correct horse');
    const two = await makeStatusCredential('reader', 'correct horse');
    expect(one).toMatch(/^reader:scrypt:16384:8:1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct');
    expect(parseStatusCredential(one)).toMatchObject({ user: 'reader', N: 16_384, r: 8, p: 1 });
  });

  it('lets in the right user and password only', async () => {
    const gate = new BasicAuthGate(parseStatusCredential(await makeStatusCredential('reader', 'pässwörd:1')));
    expect(await gate.allows(basic('reader', 'pässwörd:1'))).toBe(true);
    expect(await gate.allows(basic('reader', 'pässwörd:1'))).toBe(true);
    expect(await gate.allows(basic('reader', 'pässwörd:2'))).toBe(false);
    expect(await gate.allows(basic('writer', 'pässwörd:1'))).toBe(false);
    expect(await gate.allows(undefined)).toBe(false);
    expect(await gate.allows('Bearer abc')).toBe(false);
    expect(await gate.allows('Basic !!!')).toBe(false);
    expect(await gate.allows(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBe(false);
    expect(await gate.allows(basic('reader', 'x'.repeat(10_000)))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['a password', 'hunter2'],
    [
      'a cost that is not a power of two',
      'reader:scrypt:1000:8:1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    [
      'another algorithm',
      'reader:md5:16384:8:1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
  ])('refuses %s as a credential with a message saying what to do', (_case, value) => {
    expect(() => parseStatusCredential(value)).toThrow(StatusCredentialError);
    expect(() => parseStatusCredential(value)).toThrow(/status-password/);
  });
});
