import { describe, expect, it } from 'vitest';
import { readPollConfig } from '#shared/config.ts';

describe('readPollConfig', () => {
  it('refuses private feed addresses unless told to allow them', () => {
    expect(readPollConfig({ TABLE_NAME: 't' }).ALLOW_PRIVATE_FEED_ADDRESSES).toBe('refuse');
    expect(
      readPollConfig({ TABLE_NAME: 't', ALLOW_PRIVATE_FEED_ADDRESSES: 'true' }).ALLOW_PRIVATE_FEED_ADDRESSES,
    ).toBe('allow');
    expect(() => readPollConfig({ TABLE_NAME: 't', ALLOW_PRIVATE_FEED_ADDRESSES: 'yes' })).toThrow(
      /setting ALLOW_PRIVATE_FEED_ADDRESSES is invalid/,
    );
  });
});
