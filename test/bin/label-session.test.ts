import { describe, expect, it } from 'vitest';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { candidatesToLabel } from '../../bin/label-session.ts';
import { visaStoryline } from '../helpers/loop-fixtures.ts';

// Threshold 0.5: "Petro" with "visa" scores 1 (kept), "Petro" alone 0 (not kept), neither -1.
const ITEMS = [
  { id: 'n2', title: 'Coffee prices rise' },
  { id: 'p2', title: 'Petro speaks at the UN' },
  { id: 'k2', title: 'Petro visa revoked' },
  { id: 'p1', title: 'Petro travels to Madrid' },
  { id: 'k1', title: 'Petro visa row grows' },
];

describe('candidatesToLabel', () => {
  it('asks the least sure first and breaks ties the same way whatever order the archive gave', () => {
    const matcher = new StorylineMatcher(visaStoryline());
    const order = (items: typeof ITEMS) => candidatesToLabel(matcher, items, []).map((c) => c.item.id);

    expect(order(ITEMS)).toEqual(['k1', 'k2', 'p1', 'p2', 'n2']);
    expect(order([...ITEMS].reverse())).toEqual(['k1', 'k2', 'p1', 'p2', 'n2']);
  });
});
