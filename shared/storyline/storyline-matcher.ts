import { describeWindow, type WindowCheck, type WindowVerdict, windowCheck } from './active-window.ts';
import { cueKeyOf } from './cue-words.ts';
import { CompiledDecision, priorDecision } from './decision-model.ts';
import { FeatureLayout } from './feature-layout.ts';
import { stemWord, tokenize } from './normalise-text.ts';
import { LANGUAGES, type Storyline } from './storyline-schema.ts';
import { WordScanner } from './word-scanner.ts';

/** What the matcher reads from an item; headlines alone are enough. */
export interface MatchInput {
  title: string;
  summary?: string | undefined;
  /** ISO 8601; an item dated outside the storyline's active window does not belong. */
  publishedAt?: string | undefined;
}

/** One feature's share of the score: "Gustavo Petro +2.1". */
export interface Contribution {
  /** The feature's name in `decision.weights` (`actor:gustavo-petro`), or `cue:<word>`. */
  feature: string;
  label: string;
  weight: number;
}

/** The decision and its explanation. */
export interface MatchResult {
  relevant: boolean;
  /** Log-odds that the item belongs: the bias plus every contribution; relevant from `threshold` up. */
  score: number;
  /** The score as a probability (the logistic function of it). */
  probability: number;
  actors: string[];
  themes: string[];
  /** Item-scope vetoes that fired. */
  vetoes: string[];
  /**
   * The largest contributions, largest first (by size, either sign). Shared, like `why`, by every
   * result with the same explanation: read-only.
   */
  contributions: readonly Contribution[];
  /** One short line for people: the contributions, or why the item's date rules it out. */
  why: string;
  /** Set when the item's date falls outside the storyline's active window. */
  outsideWindow?: WindowVerdict | undefined;
}

/** What fired in an item, before any weight: the input of training. */
export interface Observation {
  /** Vocabulary features (numbered by the storyline's FeatureLayout) and their values. */
  features: Array<[number, number]>;
  /** Every cue word and two-word cue of the item, with its value (1 in the title). */
  cues: Map<string, number>;
}

/** What a phrase stands for; numbers, so hits fit in typed arrays. */
const ACTOR = 0;
const THEME = 1;
const VETO = 2;
/** A phrase-scope veto: what overlaps it does not count. */
const MASK = 3;
type TargetKind = typeof ACTOR | typeof THEME | typeof VETO | typeof MASK;

interface CompiledPhrase {
  /**
   * Remaining tokens after the first, as numbers of `phraseWords`, compared with a word's
   * `foldedId` (actors, vetoes) or `stemId` (themes): numbers compare faster than strings.
   */
  rest: Int32Array;
  length: number;
  kind: TargetKind;
  index: number;
  /** Short all-capital aliases (US, EUA, DEA) only match words written in capitals. */
  requireUpper: boolean;
}

/** Distinct words whose lookups are kept; the cache starts over past this. */
const MAX_CACHED_WORDS = 50_000;

interface WordInfo {
  /** The numbers of the folded word and of its stem among the phrases' words, or -1. */
  foldedId: number;
  stemId: number;
  exact: CompiledPhrase[] | undefined;
  stemmed: CompiledPhrase[] | undefined;
  inflected: CompiledPhrase[] | undefined;
  /** The word as a cue (undefined for function words and numbers) and its feature number, or -1. */
  cue: string | undefined;
  cueIndex: number;
  /** The two-word cues this word starts: their second word, then their feature number. */
  bigrams: Map<string, number> | undefined;
}

/** Shortest theme word that matches longer inflected forms, and the longest ending it allows. */
const MIN_PREFIX = 6;
const MAX_SUFFIX = 4;

/** An explanation and what it was made of: feature numbers and weights in tenths. */
interface KeptExplanation {
  indices: Int32Array;
  tenths: Int32Array;
  contributions: readonly Contribution[];
  text: string;
}

/** Distinct explanations kept; the cache starts over past this. */
const MAX_KEPT_EXPLANATIONS = 10_000;

/** Contributions smaller than this are left out of explanations. */
const MIN_SHOWN = 0.05;
const SHOWN = 3;

/** Phrases found in a text, as parallel arrays reused from text to text. */
class Hits {
  kind = new Uint8Array(32);
  index = new Int32Array(32);
  start = new Int32Array(32);
  end = new Int32Array(32);
  count = 0;

  push(kind: TargetKind, index: number, start: number, end: number): void {
    if (this.count === this.kind.length) this.grow();
    const k = this.count++;
    this.kind[k] = kind;
    this.index[k] = index;
    this.start[k] = start;
    this.end[k] = end;
  }

  /** Whether hit k overlaps a phrase-scope veto. */
  masked(k: number): boolean {
    const start = this.start[k] as number;
    const end = this.end[k] as number;
    for (let m = 0; m < this.count; m++) {
      if (this.kind[m] === MASK && start < (this.end[m] as number) && (this.start[m] as number) < end)
        return true;
    }
    return false;
  }

  private grow(): void {
    const size = this.count * 2;
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    this.kind = kind;
    for (const name of ['index', 'start', 'end'] as const) {
      const grown = new Int32Array(size);
      grown.set(this[name]);
      this[name] = grown;
    }
  }
}

/**
 * A storyline compiled for fast matching: phrases are indexed by their first token, so a text
 * is scanned once, whatever the number of aliases; what fired becomes features, and the
 * storyline's decision (or the prior one) weighs them.
 */
export class StorylineMatcher {
  readonly layout: FeatureLayout;
  readonly decision: CompiledDecision;
  private readonly windowCheck: WindowCheck;
  private readonly byFolded = new Map<string, CompiledPhrase[]>();
  private readonly byStem = new Map<string, CompiledPhrase[]>();
  /** Single-word theme phrases that also match inflected forms: descertifica -> descertificam, murder -> murdering. */
  private readonly byPrefix = new Map<string, CompiledPhrase[]>();
  private readonly prefixOpenings = new Set<string>();
  /** Every word of a phrase after its first (folded, or stemmed for themes), numbered. */
  private readonly phraseWords = new Map<string, number>();
  private readonly words = new Map<string, WordInfo>();
  private readonly scanner = new WordScanner((folded) => this.word(folded));
  private readonly hits = new Hits();
  // Scratch space reused across calls: match() is synchronous, so no two calls share it.
  private readonly actorValues: FiredValues;
  private readonly themeValues: FiredValues;
  private readonly vetoValues: FiredValues;
  private readonly groupValues: Float64Array;
  private readonly cueSeen: Float64Array;
  private featureIndex = new Int32Array(256);
  private featureValue = new Float64Array(256);
  private featureCount = 0;
  private readonly actorIds: string[];
  private readonly themeIds: string[];
  private readonly vetoIds: string[];
  /** Explanation labels by feature number, made when first shown. */
  private readonly labels: Array<string | undefined>;
  private readonly topIndex = new Int32Array(SHOWN);
  private readonly topContribution = new Float64Array(SHOWN);
  private readonly topTenths = new Int32Array(SHOWN);
  private readonly explanations = new Map<number, KeptExplanation>();

  constructor(readonly storyline: Storyline) {
    this.layout = new FeatureLayout(storyline);
    this.decision = new CompiledDecision(this.layout, storyline.decision ?? priorDecision(storyline));
    this.windowCheck = windowCheck(storyline.active);
    this.actorValues = new FiredValues(storyline.actors.length);
    this.themeValues = new FiredValues(storyline.themes.length);
    this.vetoValues = new FiredValues(storyline.vetoes.length);
    this.groupValues = new Float64Array(this.layout.groups.length);
    this.cueSeen = new Float64Array(this.decision.weights.length);
    this.actorIds = storyline.actors.map((a) => a.id);
    this.themeIds = storyline.themes.map((t) => t.id);
    this.vetoIds = storyline.vetoes.map((v) => v.id);
    this.labels = new Array(this.decision.weights.length);
    storyline.actors.forEach((actor, i) => {
      for (const phrase of phrasesOf(actor.aliases)) this.add(phrase, ACTOR, i, false);
    });
    storyline.themes.forEach((theme, i) => {
      for (const phrase of phrasesOf(theme.phrases)) this.add(phrase, THEME, i, true);
    });
    storyline.vetoes.forEach((veto, i) => {
      const kind = veto.scope === 'item' ? VETO : MASK;
      for (const phrase of phrasesOf(veto.phrases)) this.add(phrase, kind, i, false);
    });
  }

  match(input: MatchInput): MatchResult {
    const { decision } = this;
    this.featureCount = 0;
    this.scanFields(input, undefined);
    this.vocabularyFeatures();
    let score = decision.bias;
    const { weights } = decision;
    const firstCue = this.layout.size;
    for (let k = 0; k < this.featureCount; k++) {
      const index = this.featureIndex[k] as number;
      score += (weights[index] as number) * (this.featureValue[k] as number);
      // The cue marks are for this call only: clearing the few set beats clearing them all next time.
      if (index >= firstCue) this.cueSeen[index] = 0;
    }
    const explanation = this.explanation(this.rankContributions());
    const window = this.windowCheck(input.publishedAt);
    const rounded = Math.round(score * 100) / 100;
    const actors = this.actorValues.firedIds(this.actorIds);
    const themes = this.themeValues.firedIds(this.themeIds);
    const vetoes = this.vetoValues.firedIds(this.vetoIds);
    return {
      relevant: window === undefined && score >= decision.threshold,
      score: rounded,
      probability: Math.round(1000 / (1 + Math.exp(-score))) / 1000,
      actors,
      themes,
      vetoes,
      contributions: explanation.contributions,
      why: window ? describeWindow(window) : explanation.text,
      outsideWindow: window,
    };
  }

  /** What fired in an item, every cue word included: what training learns from. */
  observe(input: MatchInput): Observation {
    this.featureCount = 0;
    const cues = new Map<string, number>();
    this.scanFields(input, cues);
    this.vocabularyFeatures();
    const features: Array<[number, number]> = [];
    for (let k = 0; k < this.featureCount; k++) {
      features.push([this.featureIndex[k] as number, this.featureValue[k] as number]);
    }
    return { features, cues };
  }

  /**
   * Scans the title (value 1) and the summary (value `summaryWeight`) once, keeping the highest
   * value of each actor, theme and veto. Cues go to `allCues` when given (training), else only the
   * decision's own cues become features.
   */
  private scanFields(input: MatchInput, allCues: Map<string, number> | undefined): void {
    const { actorValues, themeValues, vetoValues } = this;
    actorValues.clear();
    themeValues.clear();
    vetoValues.clear();
    const { hits, scanner } = this;
    for (let field = 0; field < 2; field++) {
      const text = field === 0 ? input.title : input.summary;
      if (!text) continue;
      const value = field === 0 ? 1 : this.decision.summaryWeight;
      const count = scanner.scan(text);
      this.scan(count);
      let masks = false;
      for (let k = 0; k < hits.count; k++) if (hits.kind[k] === MASK) masks = true;
      for (let k = 0; k < hits.count; k++) {
        const kind = hits.kind[k] as TargetKind;
        if (kind === MASK || (masks && hits.masked(k))) continue;
        const values = kind === ACTOR ? actorValues : kind === THEME ? themeValues : vetoValues;
        values.raise(hits.index[k] as number, value);
      }
      if (allCues) collectAllCues(scanner.entries, count, value, allCues);
      else this.decisionCues(scanner.entries, count, value);
    }
  }

  private decisionCues(words: readonly WordInfo[], count: number, value: number): void {
    const { cueIndex } = this.decision;
    if (cueIndex.size === 0) return;
    let previous: WordInfo | undefined;
    for (let i = 0; i < count; i++) {
      const word = words[i] as WordInfo;
      if (word.cue === undefined) continue;
      if (word.cueIndex >= 0) this.addCue(word.cueIndex, value);
      if (previous?.bigrams) {
        const index = previous.bigrams.get(word.cue);
        if (index !== undefined) this.addCue(index, value);
      }
      previous = word;
    }
  }

  private addCue(index: number, value: number): void {
    if ((this.cueSeen[index] as number) >= value) return;
    if ((this.cueSeen[index] as number) > 0) {
      // Seen in the summary first, now in the title: raise the feature already recorded.
      for (let k = 0; k < this.featureCount; k++) {
        if (this.featureIndex[k] === index) this.featureValue[k] = value;
      }
    } else this.push(index, value);
    this.cueSeen[index] = value;
  }

  /** Actors, groups, themes, vetoes and their pairs, from the values the scan left. */
  private vocabularyFeatures(): void {
    const { layout, actorValues, themeValues, vetoValues } = this;
    const groupValues = this.groupValues.fill(0);
    for (let k = 0; k < actorValues.count; k++) {
      const i = actorValues.fired[k] as number;
      const v = actorValues.values[i] as number;
      this.push(layout.actorBase + i, v);
      const g = layout.actorGroup[i] as number;
      if ((groupValues[g] as number) < v) groupValues[g] = v;
    }
    for (let k = 0; k < themeValues.count; k++) {
      const t = themeValues.fired[k] as number;
      this.push(layout.themeBase + t, themeValues.values[t] as number);
    }
    for (let k = 0; k < vetoValues.count; k++) {
      const i = vetoValues.fired[k] as number;
      this.push(layout.vetoBase + i, vetoValues.values[i] as number);
    }
    const T = themeValues.values.length;
    const G = groupValues.length;
    for (let g = 0; g < G; g++) {
      const gv = groupValues[g] as number;
      if (gv === 0) continue;
      this.push(layout.groupBase + g, gv);
      for (let k = 0; k < themeValues.count; k++) {
        const t = themeValues.fired[k] as number;
        this.push(layout.groupThemeBase + g * T + t, Math.min(gv, themeValues.values[t] as number));
      }
      for (let h = g + 1; h < G; h++) {
        const hv = groupValues[h] as number;
        if (hv > 0) this.push(layout.groupPairIndex(g, h), Math.min(gv, hv));
      }
    }
  }

  private push(index: number, value: number): void {
    if (this.featureCount === this.featureIndex.length) {
      const index2 = new Int32Array(this.featureCount * 2);
      index2.set(this.featureIndex);
      const value2 = new Float64Array(this.featureCount * 2);
      value2.set(this.featureValue);
      this.featureIndex = index2;
      this.featureValue = value2;
    }
    this.featureIndex[this.featureCount] = index;
    this.featureValue[this.featureCount] = value;
    this.featureCount++;
  }

  /**
   * Ranks the contributions of the features just pushed: the largest (by size, at least
   * MIN_SHOWN), largest first, into `topIndex` and `topTenths`; returns how many there are.
   */
  private rankContributions(): number {
    const { weights } = this.decision;
    const { topIndex, topContribution, topTenths } = this;
    let shown = 0;
    for (let k = 0; k < this.featureCount; k++) {
      const index = this.featureIndex[k] as number;
      const value = this.featureValue[k] as number;
      const c = (weights[index] as number) * value;
      const size = Math.abs(c);
      if (size < MIN_SHOWN) continue;
      if (shown === SHOWN && size <= Math.abs(topContribution[SHOWN - 1] as number)) continue;
      let at = shown < SHOWN ? shown++ : SHOWN - 1;
      while (at > 0 && Math.abs(topContribution[at - 1] as number) < size) {
        topIndex[at] = topIndex[at - 1] as number;
        topContribution[at] = topContribution[at - 1] as number;
        at--;
      }
      topIndex[at] = index;
      topContribution[at] = c;
    }
    for (let k = 0; k < shown; k++) topTenths[k] = Math.round((topContribution[k] as number) * 10);
    return shown;
  }

  /**
   * The contributions `rankContributions` just ranked and their `formatContributions`, kept per
   * features and rounded weights: explanations repeat (most items fire nothing or the same few
   * features), and a repeated explanation is then the same string and the same contributions,
   * which readers can key on.
   */
  private explanation(shown: number): KeptExplanation {
    const { topIndex, topTenths } = this;
    let hash = shown;
    for (let k = 0; k < shown; k++) {
      hash = (Math.imul(hash, 31) + (topIndex[k] as number)) | 0;
      hash = (Math.imul(hash, 31) + (topTenths[k] as number)) | 0;
    }
    const kept = this.explanations.get(hash);
    if (kept !== undefined && kept.indices.length === shown) {
      let same = true;
      for (let k = 0; k < shown && same; k++) {
        same = kept.indices[k] === topIndex[k] && kept.tenths[k] === topTenths[k];
      }
      if (same) return kept;
    }
    const contributions: Contribution[] = new Array(shown);
    for (let k = 0; k < shown; k++) {
      const index = topIndex[k] as number;
      contributions[k] = Object.freeze({
        feature: this.decision.key(index),
        label: this.labelOf(index),
        weight: Math.round((this.topContribution[k] as number) * 10) / 10,
      });
    }
    const made: KeptExplanation = {
      indices: topIndex.slice(0, shown),
      tenths: topTenths.slice(0, shown),
      contributions: Object.freeze(contributions),
      text: formatContributions(contributions),
    };
    if (this.explanations.size >= MAX_KEPT_EXPLANATIONS) this.explanations.clear();
    this.explanations.set(hash, made);
    return made;
  }

  private labelOf(index: number): string {
    let label = this.labels[index];
    if (label === undefined) {
      label = this.decision.label(index);
      this.labels[index] = label;
    }
    return label;
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
        rest: Int32Array.from(keys.slice(1), (key) => this.phraseWordId(key)),
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

  private phraseWordId(word: string): number {
    let id = this.phraseWords.get(word);
    if (id === undefined) {
      id = this.phraseWords.size;
      this.phraseWords.set(word, id);
    }
    return id;
  }

  /** The phrases that start at each of the scanner's words, into `hits`. */
  private scan(count: number): void {
    const { hits } = this;
    const words = this.scanner.entries;
    const capitals = this.scanner.capitals;
    hits.count = 0;
    for (let i = 0; i < count; i++) {
      const word = words[i] as WordInfo;
      if (word.exact) collect(word.exact, words, capitals, count, i, false, hits);
      if (word.stemmed) collect(word.stemmed, words, capitals, count, i, true, hits);
      if (word.inflected) for (const p of word.inflected) hits.push(p.kind, p.index, i, i + 1);
    }
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
    const cue = cueKeyOf(folded);
    info = {
      foldedId: this.phraseWords.get(folded) ?? -1,
      stemId: this.phraseWords.get(stem) ?? -1,
      exact: this.byFolded.get(folded),
      stemmed: this.byStem.get(stem),
      inflected,
      cue,
      cueIndex: cue === undefined ? -1 : (this.decision.cueIndex.get(cue) ?? -1),
      bigrams: cue === undefined ? undefined : this.decision.bigramsByFirst.get(cue),
    };
    this.words.set(folded, info);
    return info;
  }
}

function collect(
  candidates: CompiledPhrase[],
  words: readonly WordInfo[],
  capitals: Uint8Array,
  count: number,
  start: number,
  byStem: boolean,
  hits: Hits,
): void {
  for (const phrase of candidates) {
    if (start + phrase.length > count) continue;
    if (phrase.requireUpper && capitals[start] !== 1) continue;
    let ok = true;
    for (let k = 0; k < phrase.rest.length; k++) {
      const word = words[start + 1 + k] as WordInfo;
      if ((byStem ? word.stemId : word.foldedId) !== phrase.rest[k]) {
        ok = false;
        break;
      }
    }
    if (ok) hits.push(phrase.kind, phrase.index, start, start + phrase.length);
  }
}

function addTo(map: Map<string, CompiledPhrase[]>, key: string, phrase: CompiledPhrase): void {
  const list = map.get(key);
  if (list) list.push(phrase);
  else map.set(key, [phrase]);
}

function phrasesOf(byLanguage: Partial<Record<(typeof LANGUAGES)[number], string[]>>): string[] {
  return LANGUAGES.flatMap((lang) => byLanguage[lang] ?? []);
}

/**
 * The highest value an item gave each actor (theme, veto), and which ones it fired, in index
 * order: an item fires a few of them, and only those are cleared, counted and listed.
 */
class FiredValues {
  readonly values: Float64Array;
  readonly fired: Int32Array;
  count = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
    this.fired = new Int32Array(size);
  }

  raise(index: number, value: number): void {
    const { values, fired } = this;
    const before = values[index] as number;
    if (before >= value) return;
    values[index] = value;
    if (before > 0) return;
    let at = this.count++;
    while (at > 0 && (fired[at - 1] as number) > index) {
      fired[at] = fired[at - 1] as number;
      at--;
    }
    fired[at] = index;
  }

  clear(): void {
    for (let k = 0; k < this.count; k++) this.values[this.fired[k] as number] = 0;
    this.count = 0;
  }

  firedIds(ids: readonly string[]): string[] {
    const list: string[] = new Array(this.count);
    for (let k = 0; k < this.count; k++) list[k] = ids[this.fired[k] as number] as string;
    return list;
  }
}

function collectAllCues(
  words: readonly WordInfo[],
  count: number,
  value: number,
  cues: Map<string, number>,
): void {
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const word = words[i] as WordInfo;
    if (word.cue === undefined) continue;
    raiseCue(cues, word.cue, value);
    if (previous !== undefined) raiseCue(cues, `${previous} ${word.cue}`, value);
    previous = word.cue;
  }
}

function raiseCue(cues: Map<string, number>, key: string, value: number): void {
  if ((cues.get(key) ?? 0) < value) cues.set(key, value);
}

/** +2.1, -3.0 (toFixed is slow enough to show at a few hundred thousand items a second). */
function signedTenths(value: number): string {
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? '-' : '+'}${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** "Gustavo Petro +2.1, boat strikes +1.8, hurricane -3.0" */
export function formatContributions(contributions: readonly Contribution[]): string {
  if (contributions.length === 0) return 'nothing fired';
  // Joined rather than appended: one flat string, which its readers (JSON output) scan faster.
  const parts: string[] = new Array(contributions.length);
  for (let k = 0; k < contributions.length; k++) {
    const c = contributions[k] as Contribution;
    parts[k] = `${c.label} ${signedTenths(c.weight)}`;
  }
  return parts.join(', ');
}
