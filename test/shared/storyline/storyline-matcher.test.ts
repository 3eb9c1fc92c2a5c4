import { beforeAll, describe, expect, it } from 'vitest';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';

const tiny: Storyline = storylineSchema.parse({
  id: 'tiny',
  title: 'Tiny',
  description: 'A storyline for unit tests.',
  active: { from: '2025-08-01', until: '2026-06-30' },
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
  decision: {
    bias: -3,
    threshold: 0,
    summaryWeight: 0.5,
    weights: {
      'actor:petro': 2,
      'actor:us': 0.5,
      'theme:sanctions': 1.5,
      'theme:weather': -1,
      'veto:sport': -6,
      'group+theme:co+sanctions': 1,
      'groups:us+co': 1,
    },
    cues: { en: { hurricanes: -3, 'boat strikes': 1.2 } },
  },
});

describe('StorylineMatcher on a small storyline', () => {
  const matcher = new StorylineMatcher(tiny);

  it('matches aliases only as whole words', () => {
    expect(matcher.match({ title: 'Petrobras and petrol prices, sanctions loom' }).actors).toEqual([]);
    expect(matcher.match({ title: 'Petro faces sanctions' }).actors).toEqual(['petro']);
  });

  it('scores the bias plus each feature, a summary-only phrase counting half', () => {
    const inTitle = matcher.match({ title: 'Petro faces sanctions' });
    const inSummary = matcher.match({ title: 'Weekly roundup', summary: 'Petro faces sanctions' });
    // -3 + Petro 2 + sanctions 1.5 + co & sanctions 1
    expect(inTitle).toMatchObject({ relevant: true, actors: ['petro'], themes: ['sanctions'], score: 1.5 });
    // -3 + (2 + 1.5 + 1) * 0.5
    expect(inSummary).toMatchObject({
      relevant: false,
      actors: ['petro'],
      themes: ['sanctions'],
      score: -0.75,
    });
    expect(inTitle.probability).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 3);
  });

  it('explains a match by its largest contributions, largest first', () => {
    const result = matcher.match({ title: 'Petro faces sanctions as hurricanes near' });
    expect(result.contributions).toEqual([
      { feature: 'cue:hurricanes', label: '"hurricanes"', weight: -3 },
      { feature: 'actor:petro', label: 'Petro', weight: 2 },
      { feature: 'theme:sanctions', label: 'sanctions', weight: 1.5 },
    ]);
    expect(result.why).toBe('"hurricanes" -3.0, Petro +2.0, sanctions +1.5');
    expect(result.relevant).toBe(false);
  });

  it('learns nothing from function words, and cue words match their plural and two-word forms', () => {
    expect(matcher.match({ title: 'The hurricane and the storm' }).why).toContain('"hurricanes" -3.0');
    expect(matcher.match({ title: 'Petro condemns boat strikes' }).why).toContain('"boat strikes" +1.2');
    expect(matcher.match({ title: 'Petro condemns strikes on boats' }).why).not.toContain('boat strikes');
  });

  it('matches theme phrases across inflections and accents', () => {
    expect(matcher.match({ title: 'Nuevas sanciones contra Petro' }).themes).toEqual(['sanctions']);
    expect(matcher.match({ title: 'EUA descertificam Petro' }).themes).toEqual(['sanctions']);
    expect(matcher.match({ title: 'Petro sanctioned again' }).themes).toEqual(['sanctions']);
  });

  it('weighs pairs of groups and of a group and a theme', () => {
    expect(matcher.match({ title: 'Petro speaks in Bogota' }).relevant).toBe(false);
    const both = matcher.match({ title: 'Petro answers the United States' });
    expect(both).toMatchObject({ relevant: true, score: 0.5 });
    // The file may name a pair in either order; explanations use the storyline's order.
    expect(both.contributions.map((c) => c.feature)).toContain('groups:co+us');
  });

  it('matches short all-capital aliases only when written in capitals', () => {
    expect(matcher.match({ title: 'Petro tells us he will stay' }).actors).toEqual(['petro']);
    expect(matcher.match({ title: 'Petro tells the US he will stay' }).actors).toEqual(['petro', 'us']);
  });

  it('lets a phrase veto mask the words it covers and an item veto weigh the item down', () => {
    expect(matcher.match({ title: 'The petro coin faces sanctions' })).toMatchObject({
      actors: [],
      relevant: false,
    });
    const sport = matcher.match({ title: 'Petro and the US watch a friendly match' });
    expect(sport).toMatchObject({ relevant: false, vetoes: ['sport'] });
    expect(sport.why).toMatch(/^veto sport -6\.0/);
  });

  it('rules out a dated item outside the active window, and says so', () => {
    const before = matcher.match({ title: 'Petro faces sanctions', publishedAt: '2025-01-26T10:00:00Z' });
    expect(before).toMatchObject({ relevant: false, score: 1.5 });
    expect(before.why).toBe("published 2025-01-26, before the story's active window (from 2025-08-01)");
    const after = matcher.match({ title: 'Petro faces sanctions', publishedAt: '2026-07-01' });
    expect(after.why).toBe("published 2026-07-01, after the story's active window (until 2026-06-30)");
    expect(
      matcher.match({ title: 'Petro faces sanctions', publishedAt: '2026-06-30T23:59:00Z' }).relevant,
    ).toBe(true);
    expect(matcher.match({ title: 'Petro faces sanctions', publishedAt: 'not a date' }).relevant).toBe(true);
    expect(matcher.match({ title: 'Petro faces sanctions' }).outsideWindow).toBeUndefined();
  });

  it('observes what fired as numbered features and every cue word, for training', () => {
    const seen = matcher.observe({ title: 'Petro faces sanctions', summary: 'The United States acts' });
    const named = Object.fromEntries(seen.features.map(([i, v]) => [matcher.layout.key(i), v]));
    expect(named).toEqual({
      'actor:petro': 1,
      'actor:us': 0.5,
      'group:co': 1,
      'group:us': 0.5,
      'theme:sanctions': 1,
      'group+theme:co+sanctions': 1,
      'group+theme:us+sanctions': 0.5,
      'groups:co+us': 0.5,
    });
    expect(Object.fromEntries(seen.cues)).toEqual({
      petro: 1,
      fac: 1,
      santio: 1,
      'petro fac': 1,
      'fac santio': 1,
      united: 0.5,
      stat: 0.5,
      act: 0.5,
      'united stat': 0.5,
      'stat act': 0.5,
    });
  });
});

describe('StorylineMatcher with many themes and groups', () => {
  // Forty themes and twelve groups: more than a 32-bit mask can hold.
  const storyline = storylineSchema.parse({
    id: 'wide',
    title: 'Wide',
    description: 'Many themes.',
    actors: Array.from({ length: 12 }, (_, g) => ({
      id: `actor-${g}`,
      name: `Actor ${g}`,
      kind: 'person',
      group: `group-${g}`,
      aliases: { en: [`Name${g}`] },
    })),
    themes: Array.from({ length: 40 }, (_, t) => ({
      id: `theme-${t}`,
      label: `Theme ${t}`,
      phrases: { en: [`zq${t}`] },
    })),
  });
  const matcher = new StorylineMatcher(storyline);

  it('lets the fortieth theme and the twelfth group count like the first', () => {
    const last = matcher.match({ title: 'Name11 speaks on zq39' });
    const first = matcher.match({ title: 'Name0 speaks on zq0' });
    expect(last).toMatchObject({ actors: ['actor-11'], themes: ['theme-39'], relevant: true });
    expect(last.score).toBe(first.score);
    expect(last.contributions.map((c) => c.feature)).toContain('group+theme:group-11+theme-39');
    expect(matcher.match({ title: 'zq39 alone' }).relevant).toBe(false);
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
    'Trump recibe a Petro en la Casa Blanca tras meses de tensión',
    'Treasury sanctions Colombian president Gustavo Petro and his family',
    // The five seed articles' headlines: two as published, three written from the articles' facts.
    'After two hours at the White House, Trump and Petro trade insults for a pledge to cooperate',
    'Petro Suspends U.S. Intelligence Cooperation After Caribbean Strikes',
    'Colombia Halts Intelligence Sharing With U.S. Over Controversial Caribbean Drug Strikes',
    "Colombia says it will keep sharing intelligence with US agencies despite Petro's suspension",
    "Trump vows to act against Colombia's 'illegal drug leader' Petro and halts US aid",
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
