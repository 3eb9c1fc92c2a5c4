import { benchArticleExtraction } from './article-extraction.ts';
import { benchBacktest } from './backtest.ts';
import { type BenchResult, meetsTarget } from './bench-result.ts';
import { benchCluster } from './cluster-items.ts';
import { benchConformance } from './feed-conformance.ts';
import { benchBundles } from './function-bundles.ts';
import { benchMatchCli } from './match-cli.ts';
import { benchMatcher } from './matcher-throughput.ts';
import { benchParse } from './parse-throughput.ts';
import { benchPollCycle } from './poll-cycle.ts';
import { benchStatusLoad } from './status-load.ts';

/**
 * Runs every benchmark and prints one JSON line per result on stdout (a summary for people on
 * stderr). `npm run bench -- NAME` runs only the benchmarks whose name contains NAME; options after
 * it go to the benchmarks (`npm run bench -- conformance --corpus DIR`).
 */
const options = process.argv.slice(3);
const BENCHMARKS: Array<[string, () => Promise<BenchResult | BenchResult[]>]> = [
  ['matcher-throughput', benchMatcher],
  ['match-cli', benchMatchCli],
  ['parse-throughput', benchParse],
  ['poll-cycle', benchPollCycle],
  ['cluster-items', benchCluster],
  ['function-bundles', benchBundles],
  ['feed-conformance', () => benchConformance(options)],
  ['status-load', benchStatusLoad],
  ['backtest', benchBacktest],
  ['article-extraction', () => benchArticleExtraction(options)],
];

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const filter = process.argv[2];
let missed = 0;
for (const [name, run] of BENCHMARKS) {
  if (filter && !name.includes(filter)) continue;
  for (const result of [await run()].flat()) {
    const met = meetsTarget(result);
    if (met === false) missed++;
    process.stdout.write(`${JSON.stringify({ ...result, met })}\n`);
    const verdict = met === undefined ? '' : met ? ' (target met)' : ' (TARGET MISSED)';
    process.stderr.write(`${result.name}: ${result.value.toLocaleString('en')} ${result.unit}${verdict}\n`);
  }
}
process.exitCode = missed > 0 ? 1 : 0;
