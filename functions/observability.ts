import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Logger and metrics for one function, named once so every log line and metric agrees. */
export function createObservability(serviceName: string): { logger: Logger; metrics: Metrics } {
  return { logger: new Logger({ serviceName }), metrics: createMetrics(serviceName) };
}

/** Metrics go to the NewsMonitor namespace, with the function as the service dimension. */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: 'NewsMonitor', serviceName });
}
