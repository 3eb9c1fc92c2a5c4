/** Bytes kept per item: 48 bits, so a new item is taken for a known one about once in 10^10. */
export const RECENT_HASH_BYTES = 6;
/** At most this many bytes of hashes on a feed state (20,480 items), far below the 400 KB item limit. */
export const RECENT_BUDGET_BYTES = 120 * 1024;

/**
 * The items a feed carried at its last fetch, as short hashes of their item keys, so an unchanged
 * item is neither matched nor written again. Item keys are base64url SHA-256 digests: their first
 * 8 characters are 6 bytes of hash already.
 */
export class RecentItems {
  private readonly known: Set<number>;

  constructor(hashes: Uint8Array | undefined) {
    this.known = new Set();
    if (!hashes) return;
    const bytes = Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength);
    for (let at = 0; at + RECENT_HASH_BYTES <= bytes.length; at += RECENT_HASH_BYTES) {
      this.known.add(bytes.readUIntBE(at, RECENT_HASH_BYTES));
    }
  }

  has(itemKey: string): boolean {
    return this.known.has(hashOf(itemKey));
  }
}

/** Packs the hashes of a fetch's items, in feed order, as many as the budget holds. */
export function packRecentItems(itemKeys: Iterable<string>): Uint8Array {
  const hashes: Buffer[] = [];
  for (const key of itemKeys) {
    if ((hashes.length + 1) * RECENT_HASH_BYTES > RECENT_BUDGET_BYTES) break;
    hashes.push(Buffer.from(key.slice(0, 8), 'base64url'));
  }
  return new Uint8Array(Buffer.concat(hashes));
}

function hashOf(itemKey: string): number {
  return Buffer.from(itemKey.slice(0, 8), 'base64url').readUIntBE(0, RECENT_HASH_BYTES);
}
