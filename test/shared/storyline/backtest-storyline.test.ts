import { describe, expect, it } from 'vitest';
import { backtestStoryline } from '#shared/storyline/backtest-storyline.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { VISA_ITEMS, visaStoryline } from '../../helpers/loop-fixtures.ts';

describe('backtestStoryline', () => {
  const live = new StorylineMatcher(visaStoryline());
  const changed = new StorylineMatcher(visaStoryline({ threshold: -0.5, sportVeto: true }));

  it('lists what the changed storyline gains and loses against the live one, each with its explanation', () => {
    const report = backtestStoryline(changed, live, VISA_ITEMS);
    expect(report.seen).toBe(4);
    expect(report.kept.map((k) => k.item.itemKey)).toEqual(['both', 'gained']);
    expect(report.liveKept).toBe(2);
    expect(report.gained.map((g) => [g.item.itemKey, g.result.score, g.live?.score])).toEqual([
      ['gained', 0, 0],
    ]);
    const [lost] = report.lost;
    expect(lost?.item.itemKey).toBe('lost');
    expect(lost?.result.relevant).toBe(false);
    expect(lost?.result.why).toBe('veto sport -5.0, Petro +1.0, visa +1.0');
    expect(lost?.live?.why).toBe('Petro +1.0, visa +1.0');
  });

  it('counts everything kept as gained when the storyline is not live yet', () => {
    const report = backtestStoryline(live, undefined, VISA_ITEMS);
    expect(report.liveKept).toBeUndefined();
    expect(report.gained.map((g) => g.item.itemKey)).toEqual(['both', 'lost']);
    expect(report.lost).toEqual([]);
  });
});
