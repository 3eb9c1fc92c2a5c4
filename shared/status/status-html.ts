import { createHash } from 'node:crypto';
import type { AlertStatus } from '../alerts/alert-status.ts';
import type { ItemPage } from '../store/dynamo-store.ts';
import type { StoredItem } from '../store/records.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import type { StatusReport } from './status-model.ts';

/** Every piece of text that came from a feed or the table goes through here. */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d8dee4;vertical-align:top}
.bar{fill:#0969da}.axis{fill:#57606a;font-size:10px}.ok{color:#1a7f37}.degraded{color:#9a6700}.failing{color:#cf222e}.muted{color:#57606a}`;

/**
 * The page's policy: nothing may load or run but its one inline style (allowed by hash) and the
 * empty data: icon, so even a title that escaped escaping could not run script or call out.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** Actor and theme names by id, so a page says "Gustavo Petro" rather than "gustavo-petro". */
type Names = ReadonlyMap<string, string>;

function namesOf(storyline: Storyline | undefined): Names {
  if (!storyline) return new Map();
  return new Map([
    ...storyline.actors.map((a) => [a.id, a.name] as const),
    ...storyline.themes.map((t) => [t.id, t.label] as const),
  ]);
}

export function renderStatusHtml(status: StatusReport, storylines: readonly Storyline[] = []): string {
  const run = status.lastRun;
  const runLine = run
    ? `Last poll ${escapeHtml(run.finishedAt)}: ${run.feeds} feeds, ${run.fetched} fetched, ${run.notModified} not modified, ${run.failed} failed, ${run.itemsSeen} items seen, ${run.matched} matched, ${run.stored} stored (${run.durationMs} ms).`
    : 'No poll run yet.';
  const feedRows = status.feeds
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.id)}</td><td>${escapeHtml(f.lastSuccessAt ?? 'never')}</td><td>${f.consecutiveFailures}${f.backingOffUntil ? ` (waiting until ${escapeHtml(f.backingOffUntil)})` : ''}</td><td>${f.itemsSeen}${f.partial ? ' (partial document)' : ''}</td><td>${f.itemsStored}</td><td class="muted">${escapeHtml(f.lastError ?? '')}</td></tr>`,
    )
    .join('');
  const storylineSections = status.storylines
    .map((s) => storylineSection(s, namesOf(storylines.find((x) => x.id === s.id))))
    .join('');
  const storylineRows = status.storylines
    .map(
      (s) =>
        `<tr><td><a href="/storylines/${encodeURIComponent(s.id)}/items">${escapeHtml(s.title)}</a></td><td>${s.items ?? NOT_COUNTED}</td><td>${s.itemsLast24h ?? NOT_COUNTED}</td><td>${escapeHtml(s.lastDigest ? `${s.lastDigest.sentAt} (${s.lastDigest.itemCount} items)` : 'never')}</td></tr>`,
    )
    .join('');
  return page(
    'news-monitor status',
    `<h1>news-monitor</h1><p class="${status.health.state}"><strong>${status.health.state.toUpperCase()}</strong>: ${escapeHtml(status.health.reason)}</p>
<p>${runLine}</p>
<h2>Storylines</h2><table><thead><tr><th>Storyline</th><th>Items</th><th>Last 24 h</th><th>Last digest</th></tr></thead><tbody>${storylineRows}</tbody></table>
${storylineSections}
<h2>Feeds</h2><table><thead><tr><th>Feed</th><th>Last success</th><th>Failures in a row</th><th>Items seen</th><th>Stored</th><th>Last error</th></tr></thead><tbody>${feedRows}</tbody></table>
<p class="muted">Generated ${escapeHtml(status.generatedAt)}. JSON: request without Accept: text/html.</p>`,
  );
}

const NOT_COUNTED =
  '<span class="muted" title="stored before counting began; the next poll run counts them">not counted yet</span>';

function storylineSection(s: StatusReport['storylines'][number], names: Names): string {
  const rows = s.latestItems.map((item) => itemRow(item, names)).join('');
  const latest = rows
    ? `<table><thead><tr><th>First seen</th><th>Headline</th><th>Sources</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No matches yet.</p>';
  return `<section><h3>${escapeHtml(s.title)}</h3>${matchesChart(s.matchesPerDay)}${latest}${alertsTable(s.lastAlerts)}<p><a href="/storylines/${encodeURIComponent(s.id)}/items">All items</a></p></section>`;
}

const ALERT_STATES: Record<AlertStatus['state'], string> = {
  sent: 'sent',
  claimed: 'being sent',
  failed: 'failed, retried next poll',
  capped: 'held back by the hourly cap',
  unknown: 'may not have gone out',
};

/** The storyline's last alerts; nothing for a storyline without an alert rule. */
function alertsTable(alerts: readonly AlertStatus[] | null): string {
  if (alerts === null) return '';
  if (alerts.length === 0) return '<h4>Last alerts</h4><p class="muted">No alerts yet.</p>';
  const rows = alerts
    .map((a) => {
      const title = a.url
        ? `<a href="${escapeHtml(safeHref(a.url))}">${escapeHtml(a.title)}</a>`
        : escapeHtml(a.title);
      const state = `${ALERT_STATES[a.state]}${a.error ? `: ${a.error}` : ''}`;
      return `<tr><td>${escapeHtml(a.sentAt ?? a.decidedAt)}</td><td>${title}</td><td>${escapeHtml(a.sources.join(', '))}</td><td class="${a.state === 'sent' ? 'ok' : a.state === 'capped' ? 'muted' : 'degraded'}">${escapeHtml(state)}</td></tr>`;
    })
    .join('');
  return `<h4>Last alerts</h4><table><thead><tr><th>When</th><th>Headline</th><th>Sources</th><th>Alert</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Matches per day as inline SVG bars: no script, no external asset. */
function matchesChart(days: ReadonlyArray<{ day: string; count: number }>): string {
  if (days.length === 0) return `<p>Matches per day: ${NOT_COUNTED}</p>`;
  const width = 28;
  const height = 80;
  const max = Math.max(1, ...days.map((d) => d.count));
  const bars = days
    .map((d, i) => {
      const h = Math.round((d.count / max) * height);
      const x = i * width + 4;
      return `<rect class="bar" x="${x}" y="${height - h + 14}" width="${width - 8}" height="${h}"><title>${escapeHtml(d.day)}: ${d.count}</title></rect><text class="axis" x="${x + (width - 8) / 2}" y="${height + 28}" text-anchor="middle">${escapeHtml(d.day.slice(8))}</text>${d.count > 0 ? `<text class="axis" x="${x + (width - 8) / 2}" y="${height - h + 10}" text-anchor="middle">${d.count}</text>` : ''}`;
    })
    .join('');
  const total = days.reduce((n, d) => n + d.count, 0);
  return `<svg role="img" aria-label="Matches per day over the last ${days.length} days: ${total} in all" width="${days.length * width + 8}" height="${height + 34}" viewBox="0 0 ${days.length * width + 8} ${height + 34}">${bars}</svg>`;
}

export function renderItemsHtml(storyline: Storyline, itemPage: ItemPage): string {
  const names = namesOf(storyline);
  const rows = itemPage.items.map((item) => itemRow(item, names)).join('');
  const next = itemPage.cursor
    ? `<p><a href="?cursor=${encodeURIComponent(itemPage.cursor)}">Older items</a></p>`
    : '';
  return page(
    storyline.title,
    `<p><a href="/status">Status</a></p><h1>${escapeHtml(storyline.title)}</h1><table><thead><tr><th>First seen</th><th>Headline</th><th>Sources</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>${next}`,
  );
}

function itemRow(item: StoredItem, names: Names): string {
  const title = item.url
    ? `<a href="${escapeHtml(safeHref(item.url))}">${escapeHtml(item.title)}</a>`
    : escapeHtml(item.title);
  return `<tr><td>${escapeHtml(item.firstSeenAt)}</td><td>${title}</td><td>${escapeHtml((item.sources.length ? item.sources : item.feeds).join(', '))}</td><td class="muted">${escapeHtml(item.why ?? [...item.actors, ...item.themes].map((id) => names.get(id) ?? id).join(', '))} (score ${item.score})</td></tr>`;
}

function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}
