import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Logger and metrics for one function, named once so every log line and metric agrees. */
export function createObservability(serviceName: string): { logger: Logger; metrics: Metrics } {
  // Metrics go to the NewsMonitor namespace, with the function as the service dimension.
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: 'NewsMonitor', serviceName }),
  };
}
