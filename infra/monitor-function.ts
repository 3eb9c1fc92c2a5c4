import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

export interface MonitorFunctionProps {
  /** File under functions/, e.g. "poll.ts". */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  /** Merged over the defaults, never replacing them. */
  environment?: Record<string, string>;
  logRetention?: RetentionDays;
}

/**
 * Every function of the monitor: arm64, Node.js 22, an ESM bundle (AWS SDK included, minified,
 * with source maps), an explicit log group with retention, and the seeds shipped beside the code.
 */
export class MonitorFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: join(PROJECT_ROOT, 'functions', props.entry),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        SEEDS_DIR: 'seeds',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled (and tree-shaken) rather than taken from the runtime.
        externalModules: [],
        // Some CommonJS dependencies call require(); give ESM output one.
        banner:
          "import{createRequire as __nmCreateRequire}from'node:module';const require=__nmCreateRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -R "${inputDir}/seeds" "${outputDir}/seeds"`,
          ],
        },
      },
    });
  }
}
