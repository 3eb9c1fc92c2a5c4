import { type Token, tokenize } from './normalise-text.ts';
import { LANGUAGES, type Storyline } from './storyline-schema.ts';

/** What the matcher reads from an item; headlines alone are enough. */
export interface MatchInput {
  title: string;
  summary?: string | undefined;
}

/** The decision and its explanation: which actors and themes fired, and the score. */
export interface MatchResult {
  relevant: boolean;
  score: number;
  actors: string[];
  themes: string[];
  /** Item-scope vetoes that ruled the item out. */
  vetoes: string[];
}

type TargetKind = 'actor' | 'theme' | 'veto' | 'mask';

interface CompiledPhrase {
  /** Remaining tokens after the first, compared on `folded` (actors, vetoes) or `stem` (themes). */
  rest: string[];
  length: number;
  kind: TargetKind;
  index: number;
  /** Short all-capital aliases (US, EUA, DEA) only match words written in capitals. */
  requireUpper: boolean;
}

interface Hit {
  kind: TargetKind;
  index: number;
  start: number;
  end: number;
}

/**
 * A storyline compiled for fast matching: phrases are indexed by their first token, so a text
 * is scanned once, whatever the number of aliases.
 */
export class StorylineMatcher {
  private readonly byFolded = new Map<string, CompiledPhrase[]>();
  private readonly byStem = new Map<string, CompiledPhrase[]>();

  constructor(readonly storyline: Storyline) {
    storyline.actors.forEach((actor, i) => {
      for (const phrase of phrasesOf(actor.aliases)) this.add(phrase, 'actor', i, false);
    });
    storyline.themes.forEach((theme, i) => {
      for (const phrase of phrasesOf(theme.phrases)) this.add(phrase, 'theme', i, true);
    });
    storyline.vetoes.forEach((veto, i) => {
      const kind = veto.scope === 'item' ? 'veto' : 'mask';
      for (const phrase of phrasesOf(veto.phrases)) this.add(phrase, kind, i, false);
    });
  }

  match(input: MatchInput): MatchResult {
    const { storyline } = this;
    const actorScores = new Map<number, number>();
    const themeScores = new Map<number, number>();
    const vetoes = new Set<number>();
    const boost = storyline.rule.titleBoost;

    const fields: Array<[string | undefined, number]> = [
      [input.title, boost],
      [input.summary, 1],
    ];
    for (const [text, factor] of fields) {
      if (!text) continue;
      for (const hit of this.scan(tokenize(text))) {
        if (hit.kind === 'veto') vetoes.add(hit.index);
        else if (hit.kind === 'actor')
          raise(actorScores, hit.index, storyline.actors[hit.index]?.weight, factor);
        else if (hit.kind === 'theme')
          raise(themeScores, hit.index, storyline.themes[hit.index]?.weight, factor);
      }
    }

    let score = 0;
    for (const s of actorScores.values()) score += s;
    for (const s of themeScores.values()) score += s;
    score = Math.round(score * 100) / 100;

    const firedGroups = new Set<string>();
    for (const i of actorScores.keys()) {
      const group = storyline.actors[i]?.group;
      if (group) firedGroups.add(group);
    }
    const qualifies = storyline.rule.combinations.some(
      (c) =>
        c.groups.every((g) => firedGroups.has(g)) && themeScores.size >= c.minThemes && score >= c.minScore,
    );

    return {
      relevant: vetoes.size === 0 && score >= storyline.rule.threshold && qualifies,
      score,
      actors: idsOf(storyline.actors, actorScores.keys()),
      themes: idsOf(storyline.themes, themeScores.keys()),
      vetoes: idsOf(storyline.vetoes, vetoes.keys()),
    };
  }

  private add(phrase: string, kind: TargetKind, index: number, byStem: boolean): void {
    const variants = [phrase];
    // "narco-terrorist" should also meet "narcoterrorist"; the split form comes from tokenizing.
    if (/\p{L}-\p{L}/u.test(phrase)) variants.push(phrase.replace(/(\p{L})-(?=\p{L})/gu, '$1'));
    for (const variant of variants) {
      const tokens = tokenize(variant);
      const first = tokens[0];
      if (!first) continue;
      const keys = tokens.map((t) => (byStem ? t.stem : t.folded));
      const requireUpper =
        !byStem && tokens.length === 1 && first.upper && first.folded.length <= 4 && /^[A-Z]+$/.test(variant);
      const compiled: CompiledPhrase = {
        rest: keys.slice(1),
        length: keys.length,
        kind,
        index,
        requireUpper,
      };
      const map = byStem ? this.byStem : this.byFolded;
      const key = keys[0] ?? '';
      const list = map.get(key);
      if (list) list.push(compiled);
      else map.set(key, [compiled]);
    }
  }

  private scan(tokens: Token[]): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      collect(this.byFolded.get(token.folded), tokens, i, 'folded', hits);
      collect(this.byStem.get(token.stem), tokens, i, 'stem', hits);
    }
    const masks = hits.filter((h) => h.kind === 'mask');
    if (masks.length === 0) return hits;
    return hits.filter((h) => h.kind === 'mask' || !masks.some((m) => h.start < m.end && m.start < h.end));
  }
}

function collect(
  candidates: CompiledPhrase[] | undefined,
  tokens: Token[],
  start: number,
  field: 'folded' | 'stem',
  hits: Hit[],
): void {
  if (!candidates) return;
  for (const phrase of candidates) {
    if (start + phrase.length > tokens.length) continue;
    if (phrase.requireUpper && !tokens[start]?.upper) continue;
    let ok = true;
    for (let k = 0; k < phrase.rest.length; k++) {
      if (tokens[start + 1 + k]?.[field] !== phrase.rest[k]) {
        ok = false;
        break;
      }
    }
    if (ok) hits.push({ kind: phrase.kind, index: phrase.index, start, end: start + phrase.length });
  }
}

function raise(scores: Map<number, number>, index: number, weight: number | undefined, factor: number): void {
  const value = (weight ?? 1) * factor;
  if ((scores.get(index) ?? 0) < value) scores.set(index, value);
}

function phrasesOf(byLanguage: Partial<Record<(typeof LANGUAGES)[number], string[]>>): string[] {
  return LANGUAGES.flatMap((lang) => byLanguage[lang] ?? []);
}

function idsOf(list: ReadonlyArray<{ id: string }>, indexes: Iterable<number>): string[] {
  return [...indexes].sort((a, b) => a - b).map((i) => list[i]?.id ?? String(i));
}
