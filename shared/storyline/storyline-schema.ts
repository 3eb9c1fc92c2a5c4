import * as z from 'zod';

/** Languages a storyline can carry aliases for. Extend here and the schema follows. */
export const LANGUAGES = ['en', 'es', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

const phrase = z.string().trim().min(1, 'must not be empty');
const phraseList = z.array(phrase);

/** Phrases per language; at least one language must carry at least one phrase. */
const phrasesByLanguage = z
  .object({ en: phraseList.optional(), es: phraseList.optional(), pt: phraseList.optional() })
  .strict()
  .refine((p) => LANGUAGES.some((lang) => (p[lang]?.length ?? 0) > 0), {
    message: 'needs at least one phrase in en, es or pt',
  });

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. "boat-strikes"');

const weight = z.number().positive('must be greater than 0').max(10, 'must be at most 10');

export const actorSchema = z
  .object({
    id,
    name: z.string().trim().min(1),
    kind: z.enum(['person', 'organisation', 'place', 'vessel', 'group', 'event']),
    /** Which side of the story the actor stands on; decision rules combine groups. */
    group: id,
    weight: weight.default(1),
    aliases: phrasesByLanguage,
  })
  .strict();

export const themeSchema = z
  .object({
    id,
    label: z.string().trim().min(1),
    weight: weight.default(1),
    phrases: phrasesByLanguage,
  })
  .strict();

export const vetoSchema = z
  .object({
    id,
    reason: z.string().trim().min(1),
    /**
     * `item` rules the whole item out; `phrase` only stops the words it covers from counting
     * (so "Columbia University" does not count as Colombia, yet the rest of the headline still can).
     */
    scope: z.enum(['item', 'phrase']).default('item'),
    phrases: phrasesByLanguage,
  })
  .strict();

/**
 * One way an item can qualify: every listed group has an actor that fired, at least `minThemes`
 * themes fired (counting only those listed in `themes`, when given), and the score reaches `minScore`.
 */
export const combinationSchema = z
  .object({
    groups: z.array(id).default([]),
    themes: z.array(id).optional(),
    minThemes: z.number().int().min(0).default(0),
    minScore: z.number().min(0).default(0),
  })
  .strict();

export const storylineSchema = z
  .object({
    id,
    title: z.string().trim().min(1),
    description: z.string().trim().min(1),
    actors: z.array(actorSchema).min(1, 'needs at least one actor'),
    themes: z.array(themeSchema).default([]),
    vetoes: z.array(vetoSchema).default([]),
    rule: z
      .object({
        /** Scores at or above this, with one of the combinations satisfied, make an item relevant. */
        threshold: z.number().min(0),
        combinations: z.array(combinationSchema).min(1, 'needs at least one combination'),
        /** A phrase found in the title counts this many times its weight. */
        titleBoost: z.number().min(1).default(2),
      })
      .strict(),
  })
  .strict()
  .superRefine((storyline, ctx) => {
    const groups = new Set(storyline.actors.map((a) => a.group));
    if (groups.size > 30) {
      ctx.addIssue({
        code: 'custom',
        path: ['actors'],
        message: `uses ${groups.size} groups; at most 30 are allowed`,
      });
    }
    const themes = new Set(storyline.themes.map((t) => t.id));
    storyline.rule.combinations.forEach((combination, i) => {
      combination.themes?.forEach((theme, j) => {
        if (!themes.has(theme)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rule', 'combinations', i, 'themes', j],
            message: `no theme has id "${theme}"`,
          });
        }
      });
      combination.groups.forEach((group, j) => {
        if (!groups.has(group)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rule', 'combinations', i, 'groups', j],
            message: `no actor has group "${group}"`,
          });
        }
      });
    });
    for (const [key, list] of [
      ['actors', storyline.actors],
      ['themes', storyline.themes],
      ['vetoes', storyline.vetoes],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        if (seen.has(entry.id)) {
          ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id "${entry.id}"` });
        }
        seen.add(entry.id);
      });
    }
  });

export type Storyline = z.infer<typeof storylineSchema>;
export type Actor = z.infer<typeof actorSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type Veto = z.infer<typeof vetoSchema>;
