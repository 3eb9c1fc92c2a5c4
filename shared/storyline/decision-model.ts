import { normaliseCue } from './cue-words.ts';
import { FeatureLayout } from './feature-layout.ts';
import type { Decision, Storyline } from './storyline-schema.ts';

type Vocabulary = Pick<Storyline, 'actors' | 'themes' | 'vetoes'>;

/** Languages a cue can be filed under in a storyline file; `other` when the labels did not say. */
export const CUE_LANGUAGES = ['en', 'es', 'pt', 'other'] as const;
export type CueLanguage = (typeof CUE_LANGUAGES)[number];

/** The score from which the prior decision says an item belongs. */
export const PRIOR_THRESHOLD = 0;

/**
 * The decision of a storyline nobody has trained yet, and the point training is pulled towards
 * when labels are few: an actor together with a theme, or actors of two groups, make a match;
 * one theme alone does not, nor one actor unless its weight is 4 or more (a draft gives its
 * protagonists 5); an item veto rules the item out.
 */
export function priorDecision(vocabulary: Vocabulary): Decision {
  const layout = new FeatureLayout(vocabulary);
  const weights: Record<string, number> = {};
  for (const a of vocabulary.actors) weights[`actor:${a.id}`] = 0.5 * a.weight;
  for (const g of layout.groups) weights[`group:${g}`] = 0.5;
  for (const t of vocabulary.themes) weights[`theme:${t.id}`] = 0.5 * t.weight;
  for (const v of vocabulary.vetoes) if (v.scope === 'item') weights[`veto:${v.id}`] = -6;
  for (const g of layout.groups) for (const t of vocabulary.themes) weights[`group+theme:${g}+${t.id}`] = 1;
  layout.groups.forEach((g, i) => {
    for (const h of layout.groups.slice(i + 1)) weights[`groups:${g}+${h}`] = 1;
  });
  return { bias: -2.5, threshold: PRIOR_THRESHOLD, summaryWeight: 1, weights, cues: {} };
}

/** A decision as arrays, for scoring many items: one weight per feature number. */
export class CompiledDecision {
  readonly bias: number;
  readonly threshold: number;
  readonly summaryWeight: number;
  readonly weights: Float64Array;
  /** Feature number of each cue (single words and two-word phrases). */
  readonly cueIndex = new Map<string, number>();
  /** Two-word cues by their first word, then their second: the feature number. */
  readonly bigramsByFirst = new Map<string, Map<string, number>>();
  private readonly cueKeys: string[] = [];
  /** Cues as the file writes them ("hurricanes"), for explanations. */
  private readonly cueTexts: string[] = [];

  constructor(
    readonly layout: FeatureLayout,
    decision: Decision,
  ) {
    this.bias = decision.bias;
    this.threshold = decision.threshold;
    this.summaryWeight = decision.summaryWeight;
    const cues = new Map<string, number>();
    const texts = new Map<string, string>();
    for (const lang of CUE_LANGUAGES) {
      for (const [text, weight] of Object.entries(decision.cues[lang] ?? {})) {
        const key = normaliseCue(text);
        if (key === undefined) continue;
        cues.set(key, (cues.get(key) ?? 0) + weight);
        if (!texts.has(key)) texts.set(key, text);
      }
    }
    this.weights = new Float64Array(layout.size + cues.size);
    for (const [name, weight] of Object.entries(decision.weights)) {
      const index = layout.indexOf(name);
      if (index !== undefined) this.weights[index] = weight;
    }
    for (const [key, weight] of cues) {
      const index = layout.size + this.cueKeys.length;
      this.cueKeys.push(key);
      this.cueTexts.push(texts.get(key) ?? key);
      this.cueIndex.set(key, index);
      this.weights[index] = weight;
      const space = key.indexOf(' ');
      if (space > 0) {
        const first = key.slice(0, space);
        const seconds = this.bigramsByFirst.get(first) ?? new Map<string, number>();
        seconds.set(key.slice(space + 1), index);
        this.bigramsByFirst.set(first, seconds);
      }
    }
  }

  /** Name of a feature for explanations; cue words are quoted. */
  label(index: number): string {
    if (index < this.layout.size) return this.layout.label(index);
    return `"${this.cueTexts[index - this.layout.size] ?? '?'}"`;
  }

  key(index: number): string {
    if (index < this.layout.size) return this.layout.key(index);
    return `cue:${this.cueTexts[index - this.layout.size] ?? '?'}`;
  }
}
