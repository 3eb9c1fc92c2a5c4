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
  rule: { threshold: 1, combinations: [{ groups: ['g'] }] },
};

describe('a storyline file saved with a UTF-8 byte-order mark', () => {
  it('is read like any other (editors on Windows write one)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyline-bom-'));
    await writeFile(join(dir, 'demo.json'), `\ufeff${JSON.stringify(valid, null, 2)}`, 'utf8');
    const [storyline] = await loadStorylines(dir);
    expect(storyline?.id).toBe('demo');
    expect(validateStorylineText(`\ufeff${JSON.stringify(valid)}`)).toMatchObject({ ok: true });
  });

  it('still reports the line and column of a real mistake after the mark', () => {
    expect(validateStorylineText('\ufeff{\n  "id": oops\n}')).toEqual({
      ok: false,
      errors: ['invalid JSON at line 2 column 9, near "oops\\n}"'],
    });
  });
});

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
      rule: { threshold: 1, combinations: [{ groups: ['nobody'] }] },
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

  it('names a group no actor belongs to', () => {
    const result = validateStorylineText(
      JSON.stringify({ ...valid, rule: { threshold: 1, combinations: [{ groups: ['nobody'] }] } }),
    );
    expect(result).toEqual({
      ok: false,
      errors: ['rule.combinations[0].groups[0]: no actor has group "nobody"'],
    });
  });

  it('names a theme a combination lists but the storyline lacks', () => {
    const result = validateStorylineText(
      JSON.stringify({
        ...valid,
        rule: { threshold: 1, combinations: [{ groups: ['g'], themes: ['ghost'] }] },
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: ['rule.combinations[0].themes[0]: no theme has id "ghost"'],
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
