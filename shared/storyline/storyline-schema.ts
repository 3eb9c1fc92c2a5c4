import * as z from 'zod';
import { alertRuleProblems, alertRuleSchema } from '../alerts/alert-rule.ts';
import { normaliseCue } from './cue-words.ts';
import { PRIOR_THRESHOLD } from './decision-model.ts';
import { checkFeatureNames } from './feature-layout.ts';

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
    /** Which side of the story the actor stands on; the decision weighs groups and their pairs. */
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

/** A calendar date or date-time, ISO 8601: "2025-08-01" or "2025-08-01T00:00:00Z". */
const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/,
    'must be an ISO 8601 date, e.g. "2025-08-01"',
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real date');

/** When the story is happening: a dated item outside the window does not belong. Either end may be open. */
export const activeWindowSchema = z
  .object({ from: isoDate.optional(), until: isoDate.optional() })
  .strict()
  .refine((w) => !w.from || !w.until || Date.parse(w.from) <= Date.parse(w.until), {
    message: '"from" must not be after "until"',
  });

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** Learned cue words: a word or two-word phrase of the language and its weight (log-odds). */
const cueWeights = z.record(z.string().trim().min(1, 'must not be empty'), finite);

/**
 * The fitted decision: a logistic model over what fired (see decision-features.ts for the feature
 * names) and over cue words. An item's score is `bias` plus the weights of its features; it
 * belongs when the score reaches `threshold`. Written by `storyline train`; without it the
 * storyline uses a prior decision built from the actors' and themes' weights.
 */
export const decisionSchema = z
  .object({
    bias: finite,
    threshold: finite.default(0),
    /**
     * What a phrase found only in the summary counts for, against 1 in the title. 1 by default:
     * labelled headlines rarely carry summaries, so a lower weight could not be learned from them.
     */
    summaryWeight: z.number().min(0).max(1).default(1),
    weights: z.record(z.string(), finite).default({}),
    cues: z
      .object({
        en: cueWeights.optional(),
        es: cueWeights.optional(),
        pt: cueWeights.optional(),
        other: cueWeights.optional(),
      })
      .strict()
      .default({}),
    /** How the decision was fitted; informative only. */
    trained: z
      .object({
        examples: z.number().int().min(0),
        crossValidated: z
          .object({ precision: finite, recall: finite, f1: finite, cost: finite })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const RULE_MIGRATION_MESSAGE =
  'the hand-tuned "rule" is gone: delete it (matching then uses a prior decision from the actors\' and themes\' weights) and fit a "decision" with "storyline train FILE --labels LABELS --out FILE"';

export const storylineSchema = z
  .object({
    id,
    title: z.string().trim().min(1),
    description: z.string().trim().min(1),
    active: activeWindowSchema.optional(),
    actors: z.array(actorSchema).min(1, 'needs at least one actor'),
    themes: z.array(themeSchema).default([]),
    vetoes: z.array(vetoSchema).default([]),
    decision: decisionSchema.optional(),
    /** Alerts as it happens; absent means digests only. */
    alerts: alertRuleSchema.optional(),
    rule: z.never({ error: RULE_MIGRATION_MESSAGE }).optional(),
  })
  .strict()
  .superRefine((storyline, ctx) => {
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
    if (storyline.alerts) {
      const threshold = storyline.decision?.threshold ?? PRIOR_THRESHOLD;
      const themeIds = storyline.themes.map((t) => t.id);
      for (const [path, message] of alertRuleProblems(storyline.alerts, themeIds, threshold)) {
        ctx.addIssue({ code: 'custom', path: ['alerts', ...path], message });
      }
    }
    if (!storyline.decision) return;
    for (const [name, problem] of checkFeatureNames(storyline, Object.keys(storyline.decision.weights))) {
      ctx.addIssue({ code: 'custom', path: ['decision', 'weights', name], message: problem });
    }
    for (const [lang, cues] of Object.entries(storyline.decision.cues)) {
      for (const cue of Object.keys(cues ?? {})) {
        const words = normaliseCue(cue);
        if (words === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['decision', 'cues', lang, cue],
            message: 'a cue is one word or two words that are not all common words like "the" or "de"',
          });
        }
      }
    }
  });

export type Storyline = z.infer<typeof storylineSchema>;
export type Actor = z.infer<typeof actorSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type Veto = z.infer<typeof vetoSchema>;
export type Decision = z.infer<typeof decisionSchema>;
export type ActiveWindow = z.infer<typeof activeWindowSchema>;
