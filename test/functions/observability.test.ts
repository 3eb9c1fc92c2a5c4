import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createObservability, instrumentHandler } from '../../functions/observability.ts';
import { lambdaContext } from '../helpers/lambda-context.ts';

/** Every JSON line the function wrote to stdout or stderr, as CloudWatch Logs would receive them. */
function captureOutput() {
  const lines: Array<Record<string, unknown>> = [];
  const spies: MockInstance[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    spies.push(
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        return true;
      }),
    );
  }
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

const isMetrics = (line: Record<string, unknown>) => '_aws' in line;
const metricNames = (line: Record<string, unknown>) =>
  (line._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics.flatMap(
    (m) => m.Metrics.map((x) => x.Name),
  );

describe('instrumentHandler (Powertools middleware)', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_DEV', '');
    // Lambda sets this in an on-demand execution environment; Powertools reports cold starts only there.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('puts the request id and the cold-start flag on every log line, and counts the cold start once', async () => {
    const observability = createObservability('poll');
    const handler = instrumentHandler(async (event: { n: number }) => {
      observability.logger.info('working', { n: event.n });
      observability.metrics.addMetric('ItemsStored', MetricUnit.Count, event.n);
      return event.n;
    }, observability);

    expect(await handler({ n: 1 }, lambdaContext('poll-fn', 'request-1'))).toBe(1);
    expect(await handler({ n: 2 }, lambdaContext('poll-fn', 'request-2'))).toBe(2);

    const logs = output.lines.filter((l) => !isMetrics(l));
    expect(logs.map((l) => [l.message, l.function_request_id, l.cold_start, l.function_name])).toEqual([
      ['working', 'request-1', true, 'poll-fn'],
      ['working', 'request-2', false, 'poll-fn'],
    ]);
    expect(logs.every((l) => l.service === 'poll')).toBe(true);

    const metrics = output.lines.filter(isMetrics);
    expect(metrics.map(metricNames)).toEqual([['ColdStart'], ['ItemsStored'], ['ItemsStored']]);
    expect(metrics[0]).toMatchObject({ ColdStart: 1, function_name: 'poll-fn', service: 'poll' });
    expect(metrics.map((m) => m.ItemsStored)).toEqual([undefined, 1, 2]);
  });

  it('publishes what a failing invocation measured, and lets the error through', async () => {
    const observability = createObservability('digest');
    const handler = instrumentHandler(async () => {
      observability.metrics.addMetric('DigestsFailed', MetricUnit.Count, 1);
      throw new Error('SNS throttled');
    }, observability);

    await expect(handler({}, lambdaContext('digest-fn', 'request-9'))).rejects.toThrow('SNS throttled');
    const published = output.lines.filter(isMetrics).flatMap(metricNames);
    expect(published).toEqual(['ColdStart', 'DigestsFailed']);
  });

  it("keeps Metrics' notice of an invocation without metrics out of the warnings where none are expected", async () => {
    const observability = createObservability('status', { applicationMetrics: false });
    const handler = instrumentHandler(async () => 'ok', observability);
    await handler({}, lambdaContext('status-fn', 'request-3'));
    expect(output.lines.filter(isMetrics).flatMap(metricNames)).toEqual(['ColdStart']);
    expect(output.lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });
});
