import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { NewsMonitorStack } from '../infra/news-monitor-stack.ts';
import { readStackConfig } from '../infra/stack-config.ts';
import type { BenchResult } from './bench-result.ts';

const TARGETS: Record<string, number> = { StatusFunction: 250 * 1024, PollFunction: 1024 * 1024 };
const IMPORTS = 5;

/**
 * Each function's bundle exactly as `cdk synth` builds it, its size, and the time a fresh Node
 * process takes to import it (module load plus the handler's start-up: config, seeds, clients).
 */
export async function benchBundles(): Promise<BenchResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'news-monitor-bundles-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new NewsMonitorStack(app, 'NewsMonitor', { config: readStackConfig({}) });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<
      string,
      { Type: string; Properties: { Code?: { S3Key?: string } }; Metadata?: Record<string, string> }
    >;
  };
  const results: BenchResult[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (!assetPath) continue;
    const name = id.replace(/[0-9A-F]{8}$/, '');
    const dir = join(outdir, assetPath);
    const bytes = statSync(join(dir, 'index.mjs')).size;
    results.push({
      name: `bundle-size-${name}`,
      value: Math.round(bytes / 1024),
      unit: 'KB',
      ...(TARGETS[name] ? { target: { atMost: Math.round((TARGETS[name] as number) / 1024) } } : {}),
    });
    const times = Array.from({ length: IMPORTS }, () => importTime(dir)).sort((a, b) => a - b);
    results.push({
      name: `cold-import-${name}`,
      value: Math.round(times[Math.floor(IMPORTS / 2)] as number),
      unit: 'ms (median of 5 fresh processes)',
    });
  }
  return results;
}

function importTime(dir: string): number {
  const script =
    "const t=performance.now();await import('./index.mjs');process.stdout.write(String(performance.now()-t));";
  const output = execFileSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TABLE_NAME: 'bench',
        TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:bench',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_DEV: 'false',
      },
    },
  );
  return Number(output.toString());
}
