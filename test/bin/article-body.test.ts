import { describe, expect, it } from 'vitest';
import { articleBody } from '../../bin/article-body.ts';
import { textOf } from '../../bin/article-text.ts';

const story = [
  'The lighthouse keeper on Skerry Island reported the ferry Morning Gull aground at dawn on Tuesday.',
  'Coastguard crews from Port Alder reached the ferry within the hour and took off all forty passengers.',
  'The harbour authority said salvage teams would try to refloat the Morning Gull on the evening tide.',
];

/** A saved news page as such pages are: menus, teasers for other stories, share buttons, a footer. */
function newsPage(extraHead = ''): string {
  return `<!doctype html><html><head><title>Ferry aground | The Coast Gazette</title>${extraHead}
<script>window.analytics = { page: 'ferry' };</script><style>.x { color: red }</style></head>
<body>
<header><div class="masthead">The Coast Gazette</div><nav><ul><li>Home</li><li>Weather warnings</li><li>Football results</li></ul></nav></header>
<div class="page-wrapper nav-open">
  <main>
    <div class="article-column">
      <h1>Ferry runs aground off Skerry Island</h1>
      <div class="share-tools"><ul><li>Share on social networks</li><li>Email this article</li></ul></div>
      <div class="story-body">
        ${story.map((p) => `<p>${p}</p>`).join('\n        ')}
        <div class="related-stories"><h3>More from the coast</h3><ul>
          <li>Council approves new football stadium budget after long debate</li>
          <li>Weather warnings issued as heavy storm approaches the northern valleys</li>
        </ul></div>
      </div>
    </div>
    <aside><p>Most read: Celebrity chef opens seaside restaurant with a long waiting list already.</p></aside>
  </main>
</div>
<footer><p>Copyright The Coast Gazette. All rights reserved. Terms and privacy policy apply to this site.</p></footer>
</body></html>`;
}

describe('articleBody', () => {
  it('reads the headline and the story, not the menus, teasers, share buttons or footer around it', () => {
    const text = articleBody(newsPage());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Ferry runs aground off Skerry Island');
    expect(lines.slice(1)).toEqual(story);
    for (const noise of [
      'Football',
      'Weather warnings',
      'Celebrity chef',
      'Copyright',
      'Share on',
      'analytics',
    ])
      expect(text).not.toContain(noise);
  });

  it('trusts the body the page declares in its JSON-LD, found inside a @graph', () => {
    const declared = `${story.join(' ')} ${story.join(' ')}`;
    const jsonLd = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [{ '@type': 'WebPage' }, { '@type': 'NewsArticle', articleBody: declared }],
    });
    const text = articleBody(newsPage(`<script type="application/ld+json">${jsonLd}</script>`));
    expect(text).toBe(`Ferry runs aground off Skerry Island\n${declared}`);
  });

  it('ignores a declared body too short to be the article, and JSON-LD that does not parse', () => {
    const head =
      '<script type="application/ld+json">{"articleBody": "Subscribe to read."}</script>' +
      '<script type="application/ld+json">{ not json </script>';
    expect(articleBody(newsPage(head)).split('\n').slice(1)).toEqual(story);
  });

  it('keeps a story split into sibling columns', () => {
    const html = `<html><body><div class="grid">
      <div class="col">${story
        .slice(0, 2)
        .map((p) => `<p>${p}</p>`)
        .join('')}</div>
      <div class="col"><p>${story[2]}</p></div>
      <div class="teasers"><p>Short teaser.</p></div></div></body></html>`;
    expect(articleBody(html).split('\n')).toEqual(story);
  });

  it('falls back to the text of a page that keeps it outside paragraphs', () => {
    const html = `<html><body><div><pre>${story.join('\n')}</pre></div></body></html>`;
    const text = articleBody(html);
    for (const sentence of story) expect(text).toContain(sentence);
  });

  it('leaves plain text alone: only HTML is read as a page', () => {
    const plain = story.join('\n');
    expect(textOf(plain)).toBe(plain);
    expect(textOf(newsPage())).toBe(articleBody(newsPage()));
  });
});
