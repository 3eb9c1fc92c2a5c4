/**
 * The features the decision weighs, and their names in a storyline file's `decision.weights`:
 *
 *   actor:<actor id>            the actor fired (1 in the title, `summaryWeight` in the summary only)
 *   group:<group>               some actor of the group fired
 *   theme:<theme id>            the theme fired
 *   veto:<veto id>              an item-scope veto fired
 *   group+theme:<group>+<theme> both fired (the smaller of the two values)
 *   groups:<group>+<group>      actors of both groups fired
 *
 * (Counts of what fired were tried as features and dropped: on the real headlines they only
 * offset the pairs, made explanations read "3 groups -3.5", and cost more in cross-validation.)
 * Groups and themes are numbered, never packed into bit masks, so any number of them works.
 * Cue words come after these, numbered by the decision that carries them.
 */

interface Vocabulary {
  actors: ReadonlyArray<{ id: string; group: string; name?: string }>;
  themes: ReadonlyArray<{ id: string; label?: string }>;
  vetoes: ReadonlyArray<{ id: string; scope?: 'item' | 'phrase' }>;
}

export class FeatureLayout {
  readonly groups: string[];
  /** The group number of each actor. */
  readonly actorGroup: Int32Array;
  readonly actorBase = 0;
  readonly groupBase: number;
  readonly themeBase: number;
  readonly vetoBase: number;
  readonly groupThemeBase: number;
  readonly groupPairBase: number;
  /** Number of vocabulary features; cue features are numbered from here. */
  readonly size: number;
  private readonly byKey = new Map<string, number>();
  private readonly keys: string[] = [];

  constructor(readonly vocabulary: Vocabulary) {
    const { actors, themes, vetoes } = vocabulary;
    this.groups = [...new Set(actors.map((a) => a.group))];
    const groupIndex = new Map(this.groups.map((g, i) => [g, i]));
    this.actorGroup = Int32Array.from(actors, (a) => groupIndex.get(a.group) ?? 0);
    const G = this.groups.length;
    const T = themes.length;
    this.groupBase = actors.length;
    this.themeBase = this.groupBase + G;
    this.vetoBase = this.themeBase + T;
    this.groupThemeBase = this.vetoBase + vetoes.length;
    this.groupPairBase = this.groupThemeBase + G * T;
    this.size = this.groupPairBase + G * G;

    for (const a of actors) this.keys.push(`actor:${a.id}`);
    for (const g of this.groups) this.keys.push(`group:${g}`);
    for (const t of themes) this.keys.push(`theme:${t.id}`);
    for (const v of vetoes) this.keys.push(`veto:${v.id}`);
    for (const g of this.groups) for (const t of themes) this.keys.push(`group+theme:${g}+${t.id}`);
    // Group pairs use a G x G block; only first < second is ever set, and the key says it both ways.
    for (const g of this.groups) for (const h of this.groups) this.keys.push(`groups:${g}+${h}`);
    this.keys.forEach((key, i) => {
      this.byKey.set(key, i);
    });
  }

  groupPairIndex(first: number, second: number): number {
    const [a, b] = first < second ? [first, second] : [second, first];
    return this.groupPairBase + a * this.groups.length + b;
  }

  /** The feature number of a name, with group pairs accepted in either order. */
  indexOf(key: string): number | undefined {
    const direct = this.byKey.get(key);
    if (direct === undefined) return undefined;
    if (direct >= this.groupPairBase) {
      const offset = direct - this.groupPairBase;
      const G = this.groups.length;
      return this.groupPairIndex(Math.floor(offset / G), offset % G);
    }
    return direct;
  }

  key(index: number): string {
    return this.keys[index] ?? `feature-${index}`;
  }

  /** A short name for explanations: "Gustavo Petro", "colombia & boat strikes". */
  label(index: number): string {
    const { actors, themes, vetoes } = this.vocabulary;
    const G = this.groups.length;
    if (index < this.groupBase) return actors[index]?.name ?? this.key(index);
    if (index < this.themeBase) return `any ${this.groups[index - this.groupBase]}`;
    if (index < this.vetoBase) return themeLabel(themes[index - this.themeBase]);
    if (index < this.groupThemeBase) return `veto ${vetoes[index - this.vetoBase]?.id}`;
    if (index < this.groupPairBase) {
      const offset = index - this.groupThemeBase;
      const T = themes.length;
      return `${this.groups[Math.floor(offset / T)]} & ${themeLabel(themes[offset % T])}`;
    }
    const offset = index - this.groupPairBase;
    return `${this.groups[Math.floor(offset / G)]} & ${this.groups[offset % G]}`;
  }
}

function themeLabel(theme: { id: string; label?: string } | undefined): string {
  return theme ? (theme.label ?? theme.id).toLowerCase() : '?';
}

/** Problems with the feature names of `decision.weights`, as [name, message] pairs. */
export function checkFeatureNames(vocabulary: Vocabulary, names: readonly string[]): Array<[string, string]> {
  const layout = new FeatureLayout(vocabulary);
  const problems: Array<[string, string]> = [];
  for (const name of names) {
    if (layout.indexOf(name) !== undefined) continue;
    problems.push([name, describeUnknownFeature(name, vocabulary, layout)]);
  }
  return problems;
}

function describeUnknownFeature(name: string, vocabulary: Vocabulary, layout: FeatureLayout): string {
  const [kind, rest = ''] = name.split(/:(.*)/s, 2);
  const groups = new Set(layout.groups);
  const themes = new Set(vocabulary.themes.map((t) => t.id));
  switch (kind) {
    case 'actor':
      return `no actor has id "${rest}"`;
    case 'theme':
      return `no theme has id "${rest}"`;
    case 'veto':
      return `no veto has id "${rest}"`;
    case 'group':
      return `no actor has group "${rest}"`;
    case 'group+theme': {
      const [g = '', t = ''] = rest.split('+');
      return groups.has(g) ? `no theme has id "${t}"` : `no actor has group "${g}"`;
    }
    case 'groups': {
      const missing = rest.split('+').find((g) => !groups.has(g));
      return `no actor has group "${missing ?? rest}"`;
    }
    default:
      if (themes.has(name)) return `write a theme as "theme:${name}"`;
      return 'unknown feature; use actor:, group:, theme:, veto:, group+theme: or groups:';
  }
}
