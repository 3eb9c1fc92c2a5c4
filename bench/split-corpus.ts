import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * npm run split-corpus -- --out DIR [--parts train=60,dev=20,test=20] FILE.jsonl...
 *
 * Merges labelled headline files (JSON Lines of {"title", "url", "source", "lang", "relevant", ...})
 * into parts split by source domain, so one outlet's near-copies never sit on both sides of a split.
 * Exact repeats of a title (after folding case, accents and spacing) are kept once: wire copies
 * carried by several outlets would otherwise leak across parts. A domain's part follows from a hash
 * of its name alone: deterministic, independent of the order the files were collected in, and
 * stable as the corpus grows.
 */
interface Headline {
  id?: string;
  title: string;
  url: string;
  source: string;
  lang: string;
  relevant: boolean;
  [field: string]: unknown;
}

const args = process.argv.slice(2);
const takeFlag = (flag: string) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const outDir = takeFlag('--out');
const partsSpec = takeFlag('--parts') ?? 'train=60,dev=20,test=20';
if (!outDir || args.length === 0) {
  process.stderr.write('usage: split-corpus --out DIR [--parts train=60,dev=20,test=20] FILE.jsonl...\n');
  process.exit(2);
}
const parts = partsSpec.split(',').map((p) => {
  const [name, share] = p.split('=');
  if (!name || !share || !Number.isFinite(Number(share))) throw new Error(`bad --parts entry: ${p}`);
  return { name, share: Number(share) };
});

const fold = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const seen = new Set<string>();
const ids = new Set<string>();
const byDomain = new Map<string, Headline[]>();
let duplicates = 0;
for (const file of args) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    let record: Headline;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${n + 1}: not JSON`);
    }
    for (const field of ['title', 'url', 'source', 'lang'] as const)
      if (typeof record[field] !== 'string' || record[field] === '')
        throw new Error(`${file}:${n + 1}: missing ${field}`);
    if (typeof record.relevant !== 'boolean')
      throw new Error(`${file}:${n + 1}: relevant must be true or false`);
    const key = fold(record.title);
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    const domain = record.source.replace(/^www\./, '').toLowerCase();
    // The URL names a headline; a second headline read on the same page (a listing) also takes
    // its title, so no two share an id and earlier ids never change.
    let id = `${domain}:${shortHash(record.url)}`;
    if (ids.has(id)) id = `${domain}:${shortHash(`${record.url}\n${record.title}`)}`;
    ids.add(id);
    const list = byDomain.get(domain) ?? [];
    list.push({ id, ...record });
    byDomain.set(domain, list);
  });
}

// A domain's part depends only on its name, so adding headlines later never moves one from a part
// to another (what was tuned on stays out of the test part).
const filled = new Map(parts.map((p) => [p.name, [] as Headline[]]));
const shareTotal = parts.reduce((n, p) => n + p.share, 0);
for (const [domain, items] of byDomain) {
  const point =
    (Number.parseInt(createHash('sha256').update(domain).digest('hex').slice(0, 8), 16) / 2 ** 32) *
    shareTotal;
  let edge = 0;
  let part = parts.at(-1) as { name: string };
  for (const candidate of parts) {
    edge += candidate.share;
    if (point < edge) {
      part = candidate;
      break;
    }
  }
  filled.get(part.name)?.push(...items);
}

await mkdir(outDir, { recursive: true });
for (const [name, items] of filled) {
  items.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  await writeFile(join(outDir, `${name}.jsonl`), items.map((i) => `${JSON.stringify(i)}\n`).join(''));
  const relevant = items.filter((i) => i.relevant).length;
  const langs = Object.entries(
    items.reduce<Record<string, number>>((acc, i) => {
      acc[i.lang] = (acc[i.lang] ?? 0) + 1;
      return acc;
    }, {}),
  )
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  const domainCount = new Set(items.map((i) => i.source)).size;
  process.stderr.write(
    `${name}: ${items.length} headlines (${relevant} relevant, ${items.length - relevant} not; ${langs}) from ${domainCount} sources\n`,
  );
}
process.stderr.write(`${duplicates} repeated titles left out\n`);

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
