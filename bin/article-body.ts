import { type CheerioAPI, load } from 'cheerio/slim';

/**
 * The headline and body of a news page, without what surrounds them. A saved page carries menus,
 * lists of other stories' headlines, share buttons and footers; a draft that read them would take
 * other stories' names and words for this one's. In order of trust: the body the page declares in
 * its JSON-LD (`articleBody`), else the block holding most of the page's paragraph text.
 */
export function articleBody(html: string): string {
  const $ = load(html);
  const title = headlineOf($);
  const declared = declaredBody($);
  if (declared) return [title, declared].filter(Boolean).join('\n');

  $(NOISE_TAGS).remove();
  markMainContainer($);
  const main = $('[data-main-container]');
  // A marked block inside another marked one is read once, with its parent.
  const scope =
    main.length > 0 ? main.filter((_, el) => $(el).parents('[data-main-container]').length === 0) : $('body');
  // Inside the article's block only: a page's outer wrappers carry such words too ("nav-open").
  scope.find('[class], [id]').each((_, element) => {
    const names = `${$(element).attr('class') ?? ''} ${$(element).attr('id') ?? ''}`;
    if (BOILERPLATE.test(names)) $(element).remove();
  });
  const blocks = scope
    .find('h2, h3, p, li, blockquote')
    .toArray()
    .filter((el) => el.tagName !== 'li' || $(el).find('p').length === 0)
    .map((el) => clean($(el).text()))
    .filter((text) => text.length > 0);
  const body = [...new Set(blocks)];
  // A page that keeps its text outside paragraphs (preformatted, bare divs): all of its blocks' text.
  if (body.join(' ').length < 200) body.push(clean(scope.text()));
  return [title, ...body.filter((b) => b !== title)].filter(Boolean).join('\n');
}

const NOISE_TAGS =
  'script, style, noscript, template, svg, nav, header, footer, aside, form, button, iframe, select, ' +
  'figcaption, [role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"], [hidden]';

/** Class or id words of the parts of a page that are not its article. */
const BOILERPLATE =
  /(?:^|[\s_-])(?:nav|navbar|menu|footer|sidebar|side-bar|related|recirc|share|sharing|social|comments?|subscribe|subscription|newsletter|promo|advert|ads?|adslot|sponsor|cookie|consent|breadcrumbs?|popup|modal|masthead|widget|recommended|recommendations|trending|most-?read|most-?popular|outbrain|taboola|paywall|signup|login|toolbar|tags|byline-social)(?:$|[\s_-])/i;

function headlineOf($: CheerioAPI): string {
  const h1 = clean($('h1').first().text());
  if (h1) return h1;
  const og = clean($('meta[property="og:title"]').attr('content') ?? '');
  return og || clean($('title').first().text());
}

/** `articleBody` of a JSON-LD NewsArticle (or any object carrying one), when it says enough. */
function declaredBody($: CheerioAPI): string | undefined {
  for (const script of $('script[type="application/ld+json"]').toArray()) {
    let data: unknown;
    try {
      data = JSON.parse($(script).text());
    } catch {
      continue;
    }
    const body = findArticleBody(data, 0);
    if (body && body.length >= 400) return body;
  }
  return undefined;
}

function findArticleBody(value: unknown, depth: number): string | undefined {
  if (depth > 5 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = findArticleBody(entry, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.articleBody === 'string') return clean(record.articleBody);
  for (const key of ['@graph', 'mainEntity', 'mainEntityOfPage']) {
    const found = findArticleBody(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Marks the element whose paragraphs hold the most text: each paragraph of a sentence or more gives
 * its length to its parent, half of it to its grandparent and a third to the next one up, so the
 * article's own block wins over a column of short teasers.
 */
function markMainContainer($: CheerioAPI): void {
  const paragraphs = $('p').toArray();
  type Block = NonNullable<(typeof paragraphs)[number]['parent']>;
  const scores = new Map<Block, number>();
  for (const paragraph of paragraphs) {
    const length = clean($(paragraph).text()).length;
    if (length < 40) continue;
    let ancestor = paragraph.parent;
    for (const share of [1, 1 / 2, 1 / 3]) {
      if (!ancestor) break;
      scores.set(ancestor, (scores.get(ancestor) ?? 0) + length * share);
      ancestor = ancestor.parent;
    }
  }
  let best: Block | undefined;
  let bestScore = 0;
  for (const [block, score] of scores) {
    if (score > bestScore) {
      best = block;
      bestScore = score;
    }
  }
  if (!best) return;
  // Pages that split the story into several sibling columns: siblings that score well are the story too.
  for (const [block, score] of scores) {
    const sibling = block.parent !== null && block.parent === best.parent && score >= bestScore * 0.2;
    if (block === best || sibling) $(block).attr('data-main-container', '');
  }
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
