import { readdir, readFile } from 'node:fs/promises';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

const m = new StorylineMatcher(await loadStorylineFile('seeds/storylines/us-colombia-counternarcotics.json'));
for (const f of (await readdir('seeds/demo')).filter((f) => /\.(xml|json)$/.test(f) && f !== 'feeds.json')) {
  try {
    const r = await readFeedBytes(await readFile(`seeds/demo/${f}`), undefined, {
      id: f,
      url: 'http://x/' + f,
    } as never);
    for (const it of r.items) {
      const x = m.match(it);
      console.log(
        x.relevant ? 'MATCH' : 'no   ',
        x.score,
        it.publishedAt?.slice(0, 10),
        it.title.slice(0, 90),
        '|',
        x.why.slice(0, 80),
      );
    }
  } catch (e) {
    console.log(f, String(e).slice(0, 80));
  }
}
