import { describe, expect, it } from 'vitest';
import { passesAlertRule } from '#shared/alerts/alert-rule.ts';
import { validateStorylineText } from '#shared/storyline/load-storylines.ts';

const base = {
  id: 'story',
  title: 'Story',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  themes: [{ id: 'sanctions', label: 'Sanctions', phrases: { en: ['sanctions'] } }],
  decision: { bias: -3, threshold: 1.5 },
};
const validate = (alerts: unknown) => validateStorylineText(JSON.stringify({ ...base, alerts }));

describe('alert rule', () => {
  it('fills in the cap and the window of the digest clustering', () => {
    const result = validate({ minScore: 6 });
    expect(result.ok && result.storyline.alerts).toEqual({ minScore: 6, maxPerHour: 3, windowHours: 36 });
  });

  it('is absent unless the storyline asks for alerts', () => {
    const result = validateStorylineText(JSON.stringify(base));
    expect(result.ok && result.storyline.alerts).toBeUndefined();
  });

  it('names every problem with its path', () => {
    expect(validate({ minScore: 1, themes: ['sanctions', 'visas'], maxPerHour: 0, every: 1 })).toEqual({
      ok: false,
      errors: [
        'alerts.maxPerHour: must be at least 1',
        'alerts: Unrecognized key: "every"',
        "alerts.minScore: must be above the decision's threshold (1.5), or every match would be an alert",
        'alerts.themes[1]: "visas" is not one of the storyline\'s theme ids',
      ],
    });
    expect(validate({ themes: [] })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([
        "alerts.minScore: is required: the score an item needs to be alerted, above the decision's threshold",
        'alerts.themes: must name at least one theme, or be left out for every theme',
      ]),
    });
  });

  it('passes items at or above the bar that fired one of its themes', () => {
    const rule = { minScore: 6, themes: ['sanctions'], maxPerHour: 3, windowHours: 36 };
    expect(passesAlertRule(rule, { score: 6, themes: ['sanctions'] })).toBe(true);
    expect(passesAlertRule(rule, { score: 5.9, themes: ['sanctions'] })).toBe(false);
    expect(passesAlertRule(rule, { score: 9, themes: ['visas'] })).toBe(false);
    expect(passesAlertRule({ ...rule, themes: undefined }, { score: 9, themes: [] })).toBe(true);
  });
});
