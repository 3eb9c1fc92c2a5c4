import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { FeedSource } from '#shared/feeds/feed-list.ts';
import { type PollDependencies, type PollOptions, runPollCycle } from '#shared/feeds/poll-cycle.ts';
import type { PollRun } from '#shared/store/records.ts';

export interface PollHandlerDependencies extends PollDependencies {
  feeds: readonly FeedSource[];
  options: Omit<PollOptions, 'startDeadline'>;
  /** Milliseconds kept at the end of the invocation for saving state. */
  deadlineMarginMs: number;
  logger: Logger;
  metrics: Metrics;
}

/**
 * The scheduled poll: one cycle within the invocation's time, its counts logged and added as
 * metrics (published by the Powertools middleware the entry wraps this in).
 */
export function createPollHandler(deps: PollHandlerDependencies) {
  return async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<PollRun> => {
    const startDeadline = Date.now() + context.getRemainingTimeInMillis() - deps.deadlineMarginMs;
    const report = await runPollCycle(deps.feeds, deps, { ...deps.options, startDeadline });
    for (const outcome of report.feeds) {
      if (outcome.status === 'failed') {
        deps.logger.warn('feed failed', { feedId: outcome.feedId, reason: outcome.error });
      } else if (outcome.status === 'fetched' && outcome.itemsSkipped > 0) {
        deps.logger.warn('feed items skipped', { feedId: outcome.feedId, count: outcome.itemsSkipped });
      }
    }
    const { run } = report;
    deps.logger.info('poll run finished', { run });
    deps.metrics.addMetric('FeedsPolled', MetricUnit.Count, run.feeds);
    deps.metrics.addMetric('FeedsFailed', MetricUnit.Count, run.failed);
    deps.metrics.addMetric(
      'FeedsFailedPercent',
      MetricUnit.Percent,
      run.feeds ? (100 * run.failed) / run.feeds : 0,
    );
    deps.metrics.addMetric('ItemsSeen', MetricUnit.Count, run.itemsSeen);
    deps.metrics.addMetric('ItemsStored', MetricUnit.Count, run.stored);
    deps.metrics.addMetric('FeedsSkipped', MetricUnit.Count, run.skipped);
    if (run.alerts) {
      deps.metrics.addMetric('AlertsSent', MetricUnit.Count, run.alerts.sent);
      deps.metrics.addMetric('AlertsFailed', MetricUnit.Count, run.alerts.failed);
      if (run.alerts.error) deps.logger.error('alerts could not finish', { reason: run.alerts.error });
    }
    return run;
  };
}
