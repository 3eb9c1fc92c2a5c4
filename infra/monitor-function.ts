import { join } from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, type IDestination, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
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
  /**
   * For scheduled functions: where an asynchronous invocation goes once Lambda's retries are
   * spent, so a failed poll or digest is kept and alarmed on rather than lost.
   */
  onFailure?: IDestination;
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
      ...(props.onFailure ? { onFailure: props.onFailure, retryAttempts: 2 } : {}),
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
          // The storylines and the feed list ship with the code (the demo's sample feeds do not).
          afterBundling: (inputDir: string, outputDir: string) => [
            `mkdir -p "${outputDir}/seeds"`,
            `cp -R "${inputDir}/seeds/storylines" "${outputDir}/seeds/storylines"`,
            `cp "${inputDir}/seeds/feeds.json" "${outputDir}/seeds/feeds.json"`,
          ],
        },
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'The functions target Node.js 22 on purpose (the project supports Node 20.19+, 22 and 24); raise it with the project.',
    });
  }
}
