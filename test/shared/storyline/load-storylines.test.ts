import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStorylines, validateStorylineText } from '#shared/storyline/load-storylines.ts';

const valid = {
  id: 'demo',
  title: 'Demo',
  description: 'A demo storyline.',
  actors: [{ id: 'a', name: 'A', kind: 'person', group: 'g', aliases: { en: ['Alpha'] } }],
  themes: [{ id: 't', label: 'T', phrases: { en: ['tango'] } }],
};

describe('validateStorylineText', () => {
  it('accepts the seed storyline', async () => {
    const storylines = await loadStorylines('seeds/storylines');
    expect(storylines.map((s) => s.id)).toEqual(['us-colombia-counternarcotics']);
  });

  it('reports every problem with its path in the file', () => {
    const broken = {
      ...valid,
      actors: [
        { id: 'a', name: 'A', kind: 'person', group: 'g', aliases: { en: ['Alpha'], es: [''] } },
        { id: 'B!', name: 'B', kind: 'robot', group: 'g', aliases: {} },
      ],
    };
    const result = validateStorylineText(JSON.stringify(broken));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^actors\[0\]\.aliases\.es\[0\]: must not be empty/),
        expect.stringMatching(/^actors\[1\]\.id: must be lower-case words/),
        expect.stringMatching(/^actors\[1\]\.kind: /),
        expect.stringMatching(/^actors\[1\]\.aliases: needs at least one phrase/),
      ]),
    );
  });

  it('names each decision weight whose feature the storyline lacks', () => {
    const decision = {
      bias: -2,
      weights: {
        'actor:a': 1,
        'group+theme:g+t': 1,
        'group:nobody': 1,
        'theme:ghost': 1,
        'groups:g+nobody': 1,
        t: 1,
      },
    };
    const result = validateStorylineText(JSON.stringify({ ...valid, decision }));
    expect(result).toEqual({
      ok: false,
      errors: [
        'decision.weights.group:nobody: no actor has group "nobody"',
        'decision.weights.theme:ghost: no theme has id "ghost"',
        'decision.weights.groups:g+nobody: no actor has group "nobody"',
        'decision.weights.t: write a theme as "theme:t"',
      ],
    });
  });

  it('refuses a cue that is only common words, and an active window that ends before it starts', () => {
    const result = validateStorylineText(
      JSON.stringify({
        ...valid,
        active: { from: '2026-01-01', until: '2025-01-01' },
        decision: { bias: 0, cues: { en: { 'of the': 1, hurricane: -2 } } },
      }),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      'active: "from" must not be after "until"',
      'decision.cues.en.of the: a cue is one word or two words that are not all common words like "the" or "de"',
    ]);
  });

  it('tells the owner of an old file with a hand-tuned rule how to move to a decision', () => {
    const result = validateStorylineText(
      JSON.stringify({ ...valid, rule: { threshold: 1, combinations: [{ groups: ['g'] }] } }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'rule: the hand-tuned "rule" is gone: delete it (matching then uses a prior decision from the actors\' and themes\' weights) and fit a "decision" with "storyline train FILE --labels LABELS --out FILE"',
      ],
    });
  });

  it('reports unknown fields rather than ignoring them', () => {
    const result = validateStorylineText(JSON.stringify({ ...valid, actorz: [] }));
    expect(result.ok ? [] : result.errors).toEqual([expect.stringContaining('actorz')]);
  });

  it('gives the line and column of a JSON syntax error', () => {
    const result = validateStorylineText('{\n  "id": "x",\n  "title": }');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.errors[0]).toMatch(/line 3 column/);
  });
});

describe('loadStorylines', () => {
  it('refuses a file whose id differs from its name, saying how to fix it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storylines-'));
    await writeFile(join(dir, 'other.json'), JSON.stringify(valid));
    await expect(loadStorylines(dir)).rejects.toThrow(/has id "demo"; rename the file to demo.json/);
  });
});
