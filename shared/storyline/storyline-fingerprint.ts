import { createHash } from 'node:crypto';
import type { Storyline } from './storyline-schema.ts';

/** Identifies a version of a storyline: any change to it (vocabulary, decision) changes this. */
export function storylineFingerprint(storyline: Storyline): string {
  return createHash('sha256').update(JSON.stringify(storyline)).digest('base64url').slice(0, 16);
}
