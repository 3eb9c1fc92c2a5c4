import { App } from 'aws-cdk-lib';
import { NewsMonitorStack } from './news-monitor-stack.ts';
import { readStackConfig, StackConfigError } from './stack-config.ts';

const app = new App();
try {
  const config = readStackConfig(app.node.getAllContext());
  new NewsMonitorStack(app, 'NewsMonitor', {
    config,
    description: 'news-monitor: polls news feeds, matches storylines, emails digests',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (error) {
  if (error instanceof StackConfigError) {
    process.stderr.write(`news-monitor: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
