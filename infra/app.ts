import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UserInputError } from '#shared/errors.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { PROJECT_ROOT } from './monitor-function.ts';
import { NewsMonitorStack } from './news-monitor-stack.ts';
import { readStackConfig, StackConfigError } from './stack-config.ts';

const app = new App();
// AWS's best-practice checks run on every synth and deploy; a new, unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  // The seeds ship inside the functions: a broken storyline fails here, not at the first cold start.
  const storylines = await loadStorylines(join(PROJECT_ROOT, 'seeds', 'storylines'));
  const config = readStackConfig(
    app.node.getAllContext(),
    storylines.map((s) => s.id),
  );
  new NewsMonitorStack(app, 'NewsMonitor', {
    config,
    description: 'news-monitor: polls news feeds, matches storylines, emails digests',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (error) {
  if (error instanceof StackConfigError || error instanceof UserInputError) {
    process.stderr.write(`news-monitor: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
