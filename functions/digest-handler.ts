import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DigestNotifier } from '#shared/digest/digest-notifier.ts';
import { type DigestDependencies, sendDigest } from '#shared/digest/digest-service.ts';
import { describeError } from '#shared/errors.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';

export interface DigestHandlerDependencies extends DigestDependencies {
  storylines: readonly Storyline[];
  notifier: DigestNotifier;
  sendWhenQuiet: boolean;
  logger: Logger;
  metrics: Metrics;
}

export class DigestRunError extends Error {
  override name = 'DigestRunError';
}

export interface DigestRunSummary {
  storylines: Array<{ id: string; status: string; itemCount: number }>;
}

/**
 * The scheduled digest: one message per storyline with something new. Every storyline is tried;
 * if any failed the invocation fails afterwards, so Lambda's retry and failure destination see it.
 * Metrics are published by the Powertools middleware the entry wraps this in.
 */
export function createDigestHandler(deps: DigestHandlerDependencies) {
  return async (): Promise<DigestRunSummary> => {
    const summary: DigestRunSummary = { storylines: [] };
    const failures: string[] = [];
    for (const storyline of deps.storylines) {
      try {
        const outcome = await sendDigest(storyline, deps, { sendWhenQuiet: deps.sendWhenQuiet });
        summary.storylines.push({
          id: storyline.id,
          status: outcome.status,
          itemCount: outcome.digest.itemCount,
        });
        deps.logger.info('digest processed', {
          storylineId: storyline.id,
          status: outcome.status,
          itemCount: outcome.digest.itemCount,
        });
      } catch (error) {
        failures.push(`${storyline.id}: ${describeError(error)}`);
        summary.storylines.push({ id: storyline.id, status: 'failed', itemCount: 0 });
        deps.logger.error('digest failed', { storylineId: storyline.id, error: error as Error });
        deps.metrics.addMetric('DigestsFailed', MetricUnit.Count, 1);
      }
    }
    if (failures.length > 0) throw new DigestRunError(`digest failed for ${failures.join('; ')}`);
    return summary;
  };
}
