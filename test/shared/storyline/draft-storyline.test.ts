import { describe, expect, it } from 'vitest';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

describe('draftStoryline', () => {
  it('writes aliases and phrases in the language of the articles, and the draft matches their story', () => {
    const articles = [
      'El presidente Gustavo Petro ordenó suspender la cooperación de inteligencia con los Estados Unidos.\n' +
        'Según Bogotá, la cooperación de inteligencia seguirá suspendida mientras sigan los ataques.',
      'Gustavo Petro habló en Bogotá sobre la cooperación de inteligencia y los ataques en el Caribe.',
    ];
    const storyline = draftStoryline(articles, { id: 'prueba', title: 'Prueba' });
    expect(storyline.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Gustavo Petro',
          kind: 'person',
          aliases: { es: ['Gustavo Petro', 'Petro'] },
        }),
        expect.objectContaining({ name: 'Bogotá', aliases: { es: ['Bogotá', 'Bogota'] } }),
      ]),
    );
    expect(storyline.themes.map((t) => t.phrases)).toContainEqual({ es: ['cooperacion de inteligencia'] });
    const matcher = new StorylineMatcher(storyline);
    expect(
      matcher.match({ title: 'Petro mantiene suspendida la cooperación de inteligencia' }).relevant,
    ).toBe(true);
    expect(matcher.match({ title: 'Lluvias en Medellín' }).relevant).toBe(false);
  });

  it('always produces a valid storyline, even from text with no repeated names', () => {
    const storyline = draftStoryline(['nothing here repeats at all.'], { id: 'empty', title: 'Empty' });
    expect(storyline.actors.map((a) => a.id)).toEqual(['replace-me']);
  });
});
