import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHTML } from 'entities';
import type { BenchResult } from './bench-result.ts';

/**
 * Scores `parse-feed --json` on feedparser's test corpus (passed by path with --corpus DIR): how
 * many files it rejects or leaves unanswered, and how often the feed and first entry's title, link
 * and id agree with what each document states it expects, both sides reduced to plain text.
 */

const EXPECTATION_DIRS = [
  'rss',
  'atom',
  'atom10',
  'rdf',
  'amp',
  'base',
  'lang',
  'namespace',
  'cdf',
  'node_precedence',
  'xml',
];
const CHECK = /^(entries\[0\]|feed)\[['"](title|link|id)['"]\]\s*==\s*(.+)$/;
const BATCH = 400;
const CLI = fileURLToPath(new URL('../bin/news-monitor.ts', import.meta.url));

interface Expectation {
  file: string;
  scope: 'feed' | 'entry';
  field: 'title' | 'link' | 'id';
  value: string;
}

interface Answer {
  ok?: boolean;
  feed?: Record<string, unknown> | null;
  items?: Array<Record<string, unknown> | null> | null;
}

export interface ConformanceScore {
  files: number;
  unanswered: number;
  rejected: number;
  failedBatches: number;
  checks: number;
  agree: number;
  agreement: number;
  misses: string[];
}

/** Markup removed, HTML entities decoded, whitespace collapsed. */
function plain(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  return decodeHTML(text.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** A Python string literal ('...' or "...", optionally u-prefixed); undefined for anything else. */
export function pythonString(literal: string): string | undefined {
  const match = /^[uU]?(['"])(.*)\1$/s.exec(literal.trim());
  if (!match) return undefined;
  const [, quote, body = ''] = match;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === quote) return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i] ?? '';
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += width;
    } else out += SIMPLE_ESCAPES[next] ?? `\\${next}`;
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

async function expectations(root: string): Promise<Expectation[]> {
  const out: Expectation[] = [];
  for (const dir of EXPECTATION_DIRS) {
    const path = join(root, 'wellformed', dir);
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(path, name);
      const text = new TextDecoder('utf-8').decode(await readFile(file));
      const expect = /Expect:\s*(.+)/.exec(text);
      if (!expect?.[1]) continue;
      for (const part of expect[1].trim().split(/\s+and\s+/)) {
        const check = CHECK.exec(part.trim());
        if (!check) continue;
        const value = pythonString(check[3] ?? '');
        if (value === undefined) continue;
        out.push({
          file,
          scope: check[1]?.startsWith('entries') ? 'entry' : 'feed',
          field: check[2] as Expectation['field'],
          value,
        });
      }
    }
  }
  return out;
}

function runParseFeed(files: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'parse-feed', '--json', ...files], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

export async function scoreConformance(root: string): Promise<ConformanceScore> {
  const files = (await walk(root)).filter((f) => f.endsWith('.xml')).sort();
  const answers = new Map<string, Answer>();
  let failedBatches = 0;
  for (let i = 0; i < files.length; i += BATCH) {
    const { code, stdout } = await runParseFeed(files.slice(i, i + BATCH));
    if (code !== 0 && code !== 1) failedBatches++;
    for (const line of stdout.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      try {
        const answer = JSON.parse(line) as Answer & { file?: string };
        answers.set(resolve(answer.file ?? ''), answer);
      } catch {
        // A line that is not JSON counts as no answer for its file.
      }
    }
  }
  const unanswered = files.filter((f) => !answers.has(resolve(f))).length;
  const rejected = files.filter((f) => !answers.get(resolve(f))?.ok).length;
  const checks = await expectations(root);
  const misses: string[] = [];
  let agree = 0;
  for (const check of checks) {
    const answer = answers.get(resolve(check.file));
    let got: unknown;
    if (answer?.ok) {
      const source = check.scope === 'feed' ? (answer.feed ?? {}) : (answer.items?.[0] ?? {});
      const key = check.field === 'link' && check.scope === 'entry' ? 'url' : check.field;
      got = source[key];
    }
    if (typeof got === 'string' && plain(got) === plain(check.value)) agree++;
    else
      misses.push(
        `${relative(root, check.file)} ${check.scope}.${check.field}: want ${JSON.stringify(plain(check.value).slice(0, 60))} got ${JSON.stringify(plain(got).slice(0, 60))}`,
      );
  }
  return {
    files: files.length,
    unanswered,
    rejected,
    failedBatches,
    checks: checks.length,
    agree,
    agreement: checks.length ? Math.round((agree / checks.length) * 1000) / 1000 : 0,
    misses,
  };
}

/** `npm run bench -- conformance --corpus DIR [--misses]`; without a corpus there is nothing to score. */
export async function benchConformance(args: readonly string[]): Promise<BenchResult[]> {
  const at = args.indexOf('--corpus');
  const corpus = at >= 0 ? args[at + 1] : undefined;
  if (!corpus) {
    process.stderr.write('feed-conformance: skipped (give --corpus DIR, the feedparser test corpus)\n');
    return [];
  }
  const score = await scoreConformance(resolve(corpus));
  if (args.includes('--misses')) process.stderr.write(`${score.misses.join('\n')}\n`);
  const { misses, ...details } = score;
  return [
    {
      name: 'feed-conformance-agreement',
      value: score.agreement,
      unit: `agreement (${score.agree} of ${score.checks} checks)`,
      target: { atLeast: 0.95 },
      details,
    },
    {
      name: 'feed-conformance-rejected',
      value: Math.round((score.rejected / Math.max(1, score.files)) * 10000) / 100,
      unit: `% of files rejected (${score.rejected} of ${score.files})`,
      target: { atMost: 2 },
    },
    {
      name: 'feed-conformance-unanswered',
      value: score.unanswered,
      unit: 'files unanswered',
      target: { atMost: 0 },
    },
  ];
}
