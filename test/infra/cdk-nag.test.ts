import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { NewsMonitorStack } from '../../infra/news-monitor-stack.ts';
import { readStackConfig } from '../../infra/stack-config.ts';

interface ValidationReport {
  pluginReports: Array<{ conclusion: string; violations: Array<{ ruleName: string }> }>;
}

describe("cdk-nag's AwsSolutions checks", () => {
  it('pass with zero unacknowledged findings, each acknowledgement carrying its reason', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const context = {
      notifyEmails: 'ana@example.org:us-colombia-counternarcotics',
      alarmEmail: 'owner@example.org',
    };
    new NewsMonitorStack(app, 'NewsMonitor', { config: readStackConfig(context) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    }
    const report = JSON.parse(
      readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    const violations = report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(violations).toEqual([]);
    expect(failure).toBeUndefined();
    expect(report.pluginReports.map((r) => r.conclusion)).toEqual(['success']);
  });
});
