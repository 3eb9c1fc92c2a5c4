import { describe, expect, it } from 'vitest';
import { countryNamed, countryOfPeople, likelyPeopleWords } from '#shared/storyline/country-names.ts';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

describe('country names', () => {
  it('knows a country by its name in English, Spanish or Portuguese', () => {
    for (const name of ['Thailand', 'Tailandia', 'Tailândia', 'tailandia']) {
      expect(countryNamed(name)?.names).toEqual({ en: 'Thailand', es: 'Tailandia', pt: 'Tailândia' });
    }
    expect(countryNamed('Egito')?.names.es).toBe('Egipto');
    expect(countryNamed('Suez')).toBeUndefined();
  });

  it("knows a country by its people's word, and nothing by an ordinary word", () => {
    const people: Array<[string, string]> = [
      ['Thai', 'Thailand'],
      ['tailandesa', 'Thailand'],
      ['tailandeses', 'Thailand'],
      ['Egyptian', 'Egypt'],
      ['colombianos', 'Colombia'],
      ['Mexican', 'Mexico'],
      ['brasileiro', 'Brazil'],
      ['japonés', 'Japan'],
    ];
    for (const [word, country] of people) expect(countryOfPeople(word)?.names.en, word).toBe(country);
    for (const word of ['Statement', 'Francisco', 'Paris', 'rescue', 'boys', 'cave']) {
      expect(countryOfPeople(word), word).toBeUndefined();
    }
  });
});

describe("a country's likely people words", () => {
  it('are made by the regular endings of each language', () => {
    const chile = countryNamed('Chile');
    expect(chile && likelyPeopleWords(chile)).toEqual({
      en: ['chilean', 'chileans'],
      es: ['chileno', 'chilena', 'chilenos', 'chilenas'],
      pt: ['chileno', 'chilena', 'chilenos', 'chilenas'],
    });
  });

  it('are not guessed for peoples no regular ending makes, which are still known by their words', () => {
    const spain = countryNamed('Spain');
    expect(spain && likelyPeopleWords(spain)).toEqual({});
    const irregular: Array<[string, string]> = [
      ['Spanish', 'Spain'],
      ['españolas', 'Spain'],
      ['espanhóis', 'Spain'],
      ['alemães', 'Germany'],
      ['franceses', 'France'],
      ['Swiss', 'Switzerland'],
      ['israelíes', 'Israel'],
      ['estadounidenses', 'United States'],
    ];
    for (const [word, country] of irregular) expect(countryOfPeople(word)?.names.en, word).toBe(country);
  });

  it("go to the country whose name a people word shares most of, and no other's", () => {
    expect(countryOfPeople('Nigerian')?.names.en).toBe('Nigeria');
    const niger = countryNamed('Niger');
    expect((niger && likelyPeopleWords(niger).en) ?? []).not.toContain('nigerian');
  });

  it('let a draft whose articles only name the country find its people in headlines', () => {
    const storyline = draftStoryline(
      [
        'Thirty-three miners are trapped in a mine in Chile. Rescuers in Chile drill towards the miners.',
        'Los mineros siguen atrapados en Chile. Chile prepara el rescate de los mineros.',
      ],
      { id: 'mine', title: 'Mine' },
    );
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Rescuers reach the Chilean miners' }).relevant).toBe(true);
    expect(matcher.match({ title: 'Mineros chilenos saludan a sus familias' }).relevant).toBe(true);
  });
});

describe('a draft names its countries in every language', () => {
  const articles = [
    'Divers Reach Boys In Thai Cave\nRescue divers reached the boys inside the Thai cave, a Thai navy unit said.\n' +
      'The Thai authorities said the rescue of the boys would take days.',
    'Rescate en la cueva\nLos buzos encontraron a los niños en una cueva tailandesa. La marina tailandesa ' +
      'dijo que el rescate en la cueva tailandesa tardará días.',
  ];
  const storyline = draftStoryline(articles, { id: 'cave', title: 'Cave' });
  const thailand = storyline.actors.find((a) => a.name === 'Thailand');

  it('one actor for the country, named after it, with the names and adjectives of each language', () => {
    expect(thailand?.kind).toBe('place');
    expect(thailand?.aliases.en).toEqual(expect.arrayContaining(['Thai', 'Thailand']));
    expect(thailand?.aliases.es).toEqual(expect.arrayContaining(['Tailandia', 'tailandesa']));
    expect(thailand?.aliases.pt).toEqual(expect.arrayContaining(['Tailândia', 'Tailandia']));
    expect(storyline.actors.filter((a) => a.kind === 'place' && /tha|tail/i.test(a.name))).toHaveLength(1);
    expect(storyline.themes.map((t) => t.id)).not.toContain('tailandesa');
  });

  it("with the other genders and numbers of the people's word, in Spanish and Portuguese", () => {
    for (const lang of ['es', 'pt'] as const) {
      expect(thailand?.aliases[lang]).toEqual(
        expect.arrayContaining(['tailandes', 'tailandesa', 'tailandeses', 'tailandesas']),
      );
    }
    expect(thailand?.aliases.en).toEqual(expect.arrayContaining(['thais']));
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Mergulhador tailandês morre durante o resgate' }).actors).toContain(
      thailand?.id,
    );
    expect(matcher.match({ title: 'Los niños tailandeses salen de la cueva' }).actors).toContain(
      thailand?.id,
    );
  });

  it('so a headline in a language the articles lacked finds the country', () => {
    const matcher = new StorylineMatcher(storyline);
    const result = matcher.match({ title: 'Tailândia: resgate na caverna continua' });
    expect(result.actors).toContain(thailand?.id);
  });
});

describe('a draft from articles that name no place', () => {
  const article =
    'Rescate en la cueva tailandesa\nLos buzos dijeron que los chicos tendrán que aprender a bucear para salir ' +
    'de la cueva tailandesa. El rescate de los chicos en la cueva seguirá mañana, dijeron los buzos.\n' +
    'Los chicos esperan dentro de la cueva con su entrenador, y el rescate depende de las lluvias.';
  const storyline = draftStoryline([article], { id: 'cueva', title: 'Cueva' });

  it("makes the country of the people's word the setting, so the draft finds the story", () => {
    const thailand = storyline.actors.find((a) => a.name === 'Thailand');
    expect(thailand).toMatchObject({ kind: 'place', group: 'setting' });
    expect(storyline.actors.map((a) => a.id)).not.toContain('replace-me');
    const result = new StorylineMatcher(storyline).match({
      title: 'Thailand cave rescue: divers reach the boys',
    });
    expect(result.actors).toContain(thailand?.id);
  });

  it('never makes a theme of the verbs any report uses', () => {
    const words = storyline.themes.flatMap((t) => Object.values(t.phrases).flat());
    for (const verb of ['dijeron', 'tendran', 'tendrán', 'seguira', 'esperan'])
      expect(words).not.toContain(verb);
    expect(words).toEqual(expect.arrayContaining(['cueva', 'rescate']));
  });
});
