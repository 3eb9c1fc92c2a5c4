import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

export interface ObservabilityOptions {
  /**
   * False for a function that records no metric of its own, only its cold starts: Metrics' notice
   * that an invocation added none is then expected, and logged at debug level rather than as a
   * warning on every request.
   */
  applicationMetrics?: boolean;
}

/** Logger and metrics for one function, named once so every log line and metric agrees. */
export function createObservability(serviceName: string, options: ObservabilityOptions = {}): Observability {
  const logger = new Logger({ serviceName });
  // Metrics' own notices go through the Logger, so they carry the invocation's context too.
  const notices =
    options.applicationMetrics === false
      ? {
          debug: logger.debug.bind(logger),
          info: logger.info.bind(logger),
          warn: logger.debug.bind(logger),
          error: logger.error.bind(logger),
        }
      : logger;
  // Metrics go to the NewsMonitor namespace, with the function as the service dimension.
  return { logger, metrics: new Metrics({ namespace: 'NewsMonitor', serviceName, logger: notices }) };
}

/**
 * The handler as Lambda calls it, through Powertools' middleware: every log line carries the
 * Lambda context (request id, cold start, function), a cold start is counted as a metric, and the
 * metrics an invocation added are published when it ends, whether it succeeded or failed.
 */
export function instrumentHandler<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
  { logger, metrics }: Observability,
) {
  return middy(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
