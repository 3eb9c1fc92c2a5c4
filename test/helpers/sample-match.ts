import type { NewMatch } from '#shared/store/dynamo-store.ts';

export const sampleMatch = (over: Partial<NewMatch> = {}): NewMatch => ({
  storylineId: 'story',
  id: 'guid-1',
  canonicalUrl: 'https://news.example/a',
  title: 'Petro answers Trump',
  url: 'https://news.example/a',
  summary: '',
  publishedAt: '2025-11-11T10:00:00.000Z',
  lang: 'en',
  feedId: 'feed-a',
  source: 'Outlet A',
  score: 8,
  actors: ['petro'],
  themes: [],
  why: 'Petro +2.1, any us +0.5',
  ...over,
});
