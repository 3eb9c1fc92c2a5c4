import { stemWord, type Token, tokenize } from './normalise-text.ts';
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

/** Distinct words whose lookups are kept; the cache starts over past this. */
const MAX_CACHED_WORDS = 50_000;

interface WordInfo {
  stem: string;
  exact: CompiledPhrase[] | undefined;
  stemmed: CompiledPhrase[] | undefined;
  inflected: CompiledPhrase[] | undefined;
}

/** Shortest theme word that matches longer inflected forms, and the longest ending it allows. */
const MIN_PREFIX = 6;
const MAX_SUFFIX = 4;

interface CompiledCombination {
  /** One bit per group that must have fired. */
  groupBits: number;
  /** One bit per theme that counts towards minThemes. */
  themeBits: number;
  minThemes: number;
  minScore: number;
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
  /** Single-word theme phrases that also match inflected forms: descertifica -> descertificam, murder -> murdering. */
  private readonly byPrefix = new Map<string, CompiledPhrase[]>();
  private readonly prefixOpenings = new Set<string>();
  private readonly words = new Map<string, WordInfo>();
  private readonly combinations: CompiledCombination[];
  private readonly actorGroupBits: number[];
  private readonly actorWeights: number[];
  private readonly actorIds: string[];
  private readonly actorScratch: Float64Array;
  private readonly themeScratch: Float64Array;
  private readonly themeIds: string[];
  private readonly themeWeights: number[];

  constructor(readonly storyline: Storyline) {
    // Groups become bits, so "every listed group fired" is one mask comparison per combination.
    const groupBit = new Map([...new Set(storyline.actors.map((a) => a.group))].map((g, i) => [g, 2 ** i]));
    this.actorGroupBits = storyline.actors.map((a) => groupBit.get(a.group) ?? 0);
    this.actorWeights = storyline.actors.map((a) => a.weight);
    this.actorIds = storyline.actors.map((a) => a.id);
    this.actorScratch = new Float64Array(storyline.actors.length);
    this.themeScratch = new Float64Array(storyline.themes.length);
    this.themeIds = storyline.themes.map((t) => t.id);
    this.themeWeights = storyline.themes.map((t) => t.weight);
    const themeIndex = new Map(storyline.themes.map((t, i) => [t.id, i]));
    this.combinations = storyline.rule.combinations.map((c) => ({
      groupBits: c.groups.reduce((bits, g) => bits | (groupBit.get(g) ?? 0), 0),
      themeBits: c.themes
        ? c.themes.reduce((bits, id) => bits | (2 ** (themeIndex.get(id) ?? 31)), 0)
        : 2 ** storyline.themes.length - 1,
      minThemes: c.minThemes,
      minScore: c.minScore,
    }));
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
    // Best score per actor and theme (the title counts `titleBoost` times); 0 means it did not fire.
    // Scratch arrays reused across calls: match() is synchronous, so no two calls share them.
    const actorScores = this.actorScratch.fill(0);
    const themeScores = this.themeScratch.fill(0);
    const vetoes: number[] = [];

    for (let field = 0; field < 2; field++) {
      const text = field === 0 ? input.title : input.summary;
      if (!text) continue;
      const factor = field === 0 ? storyline.rule.titleBoost : 1;
      for (const hit of this.scan(tokenize(text, false))) {
        if (hit.kind === 'veto') vetoes.push(hit.index);
        else if (hit.kind === 'actor') raise(actorScores, hit.index, this.actorWeights[hit.index], factor);
        else if (hit.kind === 'theme') raise(themeScores, hit.index, this.themeWeights[hit.index], factor);
      }
    }

    let score = 0;
    let groups = 0;
    const actors: string[] = [];
    const themes: string[] = [];
    let themeBits = 0;
    for (let i = 0; i < actorScores.length; i++) {
      const s = actorScores[i] as number;
      if (s === 0) continue;
      score += s;
      groups |= this.actorGroupBits[i] as number;
      actors.push(this.actorIds[i] as string);
    }
    for (let i = 0; i < themeScores.length; i++) {
      const s = themeScores[i] as number;
      if (s === 0) continue;
      score += s;
      themeBits |= 2 ** i;
      themes.push(this.themeIds[i] as string);
    }
    score = Math.round(score * 100) / 100;

    let qualifies = false;
    for (const c of this.combinations) {
      if (
        score >= c.minScore &&
        (groups & c.groupBits) === c.groupBits &&
        countBits(themeBits & c.themeBits) >= c.minThemes
      ) {
        qualifies = true;
        break;
      }
    }
    const vetoIds =
      vetoes.length > 0
        ? [...new Set(vetoes)].sort((a, b) => a - b).map((i) => storyline.vetoes[i]?.id ?? String(i))
        : [];
    return {
      relevant: vetoIds.length === 0 && score >= storyline.rule.threshold && qualifies,
      score,
      actors,
      themes,
      vetoes: vetoIds,
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
      const key = keys[0] ?? '';
      addTo(byStem ? this.byStem : this.byFolded, key, compiled);
      if (byStem && keys.length === 1 && key.length >= MIN_PREFIX) {
        addTo(this.byPrefix, key, compiled);
        this.prefixOpenings.add(key.slice(0, 4));
      }
    }
  }

  private scan(tokens: Token[]): Hit[] {
    const hits: Hit[] = [];
    const words = tokens.map((t) => this.word(t.folded));
    for (let i = 0; i < tokens.length; i++) {
      const word = words[i] as WordInfo;
      if (word.exact) collect(word.exact, tokens, words, i, false, hits);
      if (word.stemmed) collect(word.stemmed, tokens, words, i, true, hits);
      if (word.inflected) {
        for (const p of word.inflected) hits.push({ kind: p.kind, index: p.index, start: i, end: i + 1 });
      }
    }
    if (!hits.some((h) => h.kind === 'mask')) return hits;
    const masks = hits.filter((h) => h.kind === 'mask');
    return hits.filter((h) => h.kind === 'mask' || !masks.some((m) => h.start < m.end && m.start < h.end));
  }

  /**
   * What a word can start: its stem and the phrases indexed under it, worked out once per distinct
   * word and kept (headlines repeat their words), up to a bound.
   */
  private word(folded: string): WordInfo {
    let info = this.words.get(folded);
    if (info) return info;
    if (this.words.size >= MAX_CACHED_WORDS) this.words.clear();
    const stem = stemWord(folded);
    let inflected: CompiledPhrase[] | undefined;
    if (folded.length > MIN_PREFIX && this.prefixOpenings.has(folded.slice(0, 4))) {
      for (let end = Math.max(MIN_PREFIX, folded.length - MAX_SUFFIX); end < folded.length; end++) {
        const found = this.byPrefix.get(folded.slice(0, end));
        if (found) inflected = [...(inflected ?? []), ...found];
      }
    }
    info = { stem, exact: this.byFolded.get(folded), stemmed: this.byStem.get(stem), inflected };
    this.words.set(folded, info);
    return info;
  }
}

function collect(
  candidates: CompiledPhrase[],
  tokens: Token[],
  words: WordInfo[],
  start: number,
  byStem: boolean,
  hits: Hit[],
): void {
  for (const phrase of candidates) {
    if (start + phrase.length > tokens.length) continue;
    if (phrase.requireUpper && !tokens[start]?.upper) continue;
    let ok = true;
    for (let k = 0; k < phrase.rest.length; k++) {
      const at = start + 1 + k;
      const key = byStem ? (words[at] as WordInfo).stem : (tokens[at] as Token).folded;
      if (key !== phrase.rest[k]) {
        ok = false;
        break;
      }
    }
    if (ok) hits.push({ kind: phrase.kind, index: phrase.index, start, end: start + phrase.length });
  }
}

function addTo(map: Map<string, CompiledPhrase[]>, key: string, phrase: CompiledPhrase): void {
  const list = map.get(key);
  if (list) list.push(phrase);
  else map.set(key, [phrase]);
}

function countBits(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}

function raise(scores: Float64Array, index: number, weight: number | undefined, factor: number): void {
  const value = (weight ?? 1) * factor;
  if ((scores[index] ?? 0) < value) scores[index] = value;
}

function phrasesOf(byLanguage: Partial<Record<(typeof LANGUAGES)[number], string[]>>): string[] {
  return LANGUAGES.flatMap((lang) => byLanguage[lang] ?? []);
}
