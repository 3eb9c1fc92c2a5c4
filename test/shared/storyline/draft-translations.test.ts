import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { NEWS_LEXICON_FILE, translationsOf } from '#shared/storyline/draft-translations.ts';
import { foldDiacritics } from '#shared/storyline/normalise-text.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

describe('translationsOf', () => {
  it("gives a news word's forms in another language, whatever the accents", () => {
    expect(translationsOf('rescue', 'en', 'es')).toEqual(expect.arrayContaining(['rescate', 'rescató']));
    expect(translationsOf('Barragem', 'pt', 'en')).toEqual(expect.arrayContaining(['dam', 'dams']));
    expect(translationsOf('inundacion', 'es', 'pt')).toEqual(expect.arrayContaining(['enchente']));
  });

  it('gives nothing for a word it does not know, nor for an ambiguous one, nor into its own language', () => {
    expect(translationsOf('vireo', 'en', 'es')).toEqual([]);
    // A military attack and a walkout: bare "strike" is neither.
    expect(translationsOf('strike', 'en', 'es')).toEqual([]);
    expect(translationsOf('rescue', 'en', 'en')).toEqual([]);
  });
});

describe('the news lexicon', () => {
  const lines = readFileSync(NEWS_LEXICON_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

  it('holds one concept per line: English, Spanish and Portuguese forms, none missing', () => {
    expect(lines.length).toBeGreaterThan(900);
    for (const line of lines) {
      const columns = line.split('\t');
      expect(columns, line).toHaveLength(3);
      for (const column of columns)
        expect(column.split(',').filter((f) => f.trim()).length, line).toBeGreaterThan(0);
    }
  });

  it('gives each form of a language one concept, so a translation never mixes two senses', () => {
    for (const lang of [0, 1, 2]) {
      const seen = new Map<string, string>();
      for (const line of lines) {
        for (const form of (line.split('\t')[lang] ?? '').split(',')) {
          const key = foldDiacritics(form.trim()).toLowerCase();
          expect(seen.get(key) ?? line, `"${form}" is in two concepts`).toBe(line);
          seen.set(key, line);
        }
      }
    }
  });
});

describe('a draft from articles in one language', () => {
  const articles = [
    'Rescuers Reach Trapped Miners in Vireo\nRescuers in Vireo reached the trapped miners on Monday. The rescue ' +
      'of the miners will take days, the rescuers said, and the collapse of the tunnel slowed the rescue.',
    'Vireo Rescue Slows After New Collapse\nA second collapse in the Vireo mine slowed the rescue. Rescuers said ' +
      'the miners in Vireo were safe and the rescue would go on after the collapse.',
  ];
  const storyline = draftStoryline(articles, { id: 'vireo', title: 'Vireo' });

  it('gives its themes the words of the languages no article is written in', () => {
    const rescue = storyline.themes.find((t) => t.phrases.en?.includes('rescue'));
    expect(rescue?.phrases.es).toEqual(expect.arrayContaining(['rescate']));
    expect(rescue?.phrases.pt).toEqual(expect.arrayContaining(['resgate']));
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Continúa el rescate de los mineros en Vireo' }).relevant).toBe(true);
    expect(matcher.match({ title: 'Desabamento atrasa resgate em Vireo' }).relevant).toBe(true);
  });

  it('leaves a language an article is written in to that article', () => {
    const withSpanish = draftStoryline(
      [
        ...articles,
        'Rescate en Vireo\nLos rescatistas llegaron a los mineros en Vireo. El rescate sigue en Vireo.',
      ],
      { id: 'vireo', title: 'Vireo' },
    );
    const rescue = withSpanish.themes.find((t) => t.phrases.en?.includes('rescue'));
    expect(rescue?.phrases.es ?? []).not.toContain('rescató');
    expect(rescue?.phrases.pt).toEqual(expect.arrayContaining(['resgate']));
  });
});
