import { beforeAll, describe, expect, it } from 'vitest';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';

const tiny: Storyline = storylineSchema.parse({
  id: 'tiny',
  title: 'Tiny',
  description: 'A storyline for unit tests.',
  actors: [
    { id: 'petro', name: 'Petro', kind: 'person', group: 'co', weight: 2, aliases: { en: ['Petro'] } },
    { id: 'us', name: 'United States', kind: 'place', group: 'us', aliases: { en: ['US', 'United States'] } },
  ],
  themes: [
    {
      id: 'sanctions',
      label: 'Sanctions',
      weight: 1,
      phrases: { en: ['sanction'], es: ['sanción'], pt: ['descertifica'] },
    },
    { id: 'weather', label: 'Weather', weight: 1, phrases: { en: ['storm'] } },
  ],
  vetoes: [
    { id: 'crypto', reason: 'the coin', scope: 'phrase', phrases: { en: ['petro coin'] } },
    { id: 'sport', reason: 'football', scope: 'item', phrases: { en: ['friendly match'] } },
  ],
  rule: {
    threshold: 3,
    combinations: [{ groups: ['co'], themes: ['sanctions'], minThemes: 1 }, { groups: ['co', 'us'] }],
  },
});

describe('StorylineMatcher on a small storyline', () => {
  const matcher = new StorylineMatcher(tiny);

  it('matches aliases only as whole words', () => {
    expect(matcher.match({ title: 'Petrobras and petrol prices, sanctions loom' }).actors).toEqual([]);
    expect(matcher.match({ title: 'Petro faces sanctions' }).actors).toEqual(['petro']);
  });

  it('explains what fired, with a title weighed above the summary', () => {
    const inTitle = matcher.match({ title: 'Petro faces sanctions' });
    const inSummary = matcher.match({ title: 'Weekly roundup', summary: 'Petro faces sanctions' });
    expect(inTitle).toMatchObject({ relevant: true, actors: ['petro'], themes: ['sanctions'], score: 6 });
    expect(inSummary).toMatchObject({ relevant: true, actors: ['petro'], themes: ['sanctions'], score: 3 });
  });

  it('matches theme phrases across inflections and accents', () => {
    expect(matcher.match({ title: 'Nuevas sanciones contra Petro' }).themes).toEqual(['sanctions']);
  });

  it('matches long theme words in their inflected forms, but not inside names', () => {
    expect(matcher.match({ title: 'EUA descertificam Petro' }).themes).toEqual(['sanctions']);
    expect(matcher.match({ title: 'Petro sanctioned again' }).themes).toEqual(['sanctions']);
  });

  it('counts only the themes a combination lists', () => {
    expect(matcher.match({ title: 'Petro warns of a storm' })).toMatchObject({
      themes: ['weather'],
      relevant: false,
    });
  });

  it('requires one of the combinations of the decision rule', () => {
    expect(matcher.match({ title: 'Petro speaks in Bogota' }).relevant).toBe(false);
    expect(matcher.match({ title: 'Petro answers the United States' }).relevant).toBe(true);
  });

  it('matches short all-capital aliases only when written in capitals', () => {
    expect(matcher.match({ title: 'Petro tells us he will stay' }).actors).toEqual(['petro']);
    expect(matcher.match({ title: 'Petro tells the US he will stay' }).actors).toEqual(['petro', 'us']);
  });

  it('lets a phrase veto mask the words it covers and an item veto rule the item out', () => {
    expect(matcher.match({ title: 'The petro coin faces sanctions' })).toMatchObject({
      actors: [],
      relevant: false,
    });
    const sport = matcher.match({ title: 'Petro and the US watch a friendly match' });
    expect(sport).toMatchObject({ relevant: false, vetoes: ['sport'] });
  });
});

describe('the seed storyline', () => {
  let matcher: StorylineMatcher;
  beforeAll(async () => {
    const [storyline] = await loadStorylines('seeds/storylines');
    matcher = new StorylineMatcher(storyline as Storyline);
  });

  it.each([
    'Petro suspends intelligence sharing with U.S. after Caribbean strikes',
    'EE.UU. descertifica a Colombia por primera vez en casi 30 años',
    'US strike on alleged drug boat in eastern Pacific kills three',
    'Maduro denuncia despliegue de buques de guerra de EE. UU. en el Caribe',
    'Trump recibe a Petro en la Casa Blanca tras meses de tensión',
    'Treasury sanctions Colombian president Gustavo Petro and his family',
  ])('finds the story in "%s"', (title) => {
    expect(matcher.match({ title }).relevant).toBe(true);
  });

  it.each([
    'Petrobras shares rise after record output',
    'Colombia beats Venezuela in World Cup qualifier',
    'Trump meets Xi in Busan',
    "Venezuela's petro cryptocurrency loses value",
    'Coffee prices climb as Colombian harvest slows',
  ])('stays quiet on "%s"', (title) => {
    expect(matcher.match({ title }).relevant).toBe(false);
  });
});
