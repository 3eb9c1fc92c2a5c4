import { loadStorylines } from '../shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '../shared/storyline/storyline-matcher.ts';
import type { BenchResult } from './bench-result.ts';

// A mix of relevant and unrelated headlines in three languages, written for the benchmark.
const HEADLINES = [
  'Petro suspends intelligence sharing with U.S. after Caribbean strikes',
  'EE.UU. descertifica a Colombia por primera vez en casi 30 años',
  'US strike on alleged drug boat in eastern Pacific kills three',
  'Maduro denuncia despliegue de buques de guerra de EE. UU. en el Caribe',
  'Colômbia e EUA retomam cooperação após reunião na Casa Branca',
  'Petrobras shares rise after record output in the pre-salt fields',
  'Central bank holds rates steady as inflation cools in the euro area',
  'Colombia beats Venezuela 2-0 in a World Cup qualifier in Barranquilla',
  'Trump meets Xi in Busan as trade talks resume',
  'Coffee prices climb as the Colombian harvest slows after heavy rain',
  'Senado aprueba reforma laboral tras meses de debate',
  'Treasury sanctions Colombian president Gustavo Petro and his family',
];

/** Headlines matched per second on one core, against the seed storyline. */
export async function benchMatcher(): Promise<BenchResult> {
  const [storyline] = await loadStorylines('seeds/storylines');
  if (!storyline) throw new Error('no seed storyline');
  const matcher = new StorylineMatcher(storyline);
  const inputs = Array.from({ length: 50_000 }, (_, i) => ({
    title: `${HEADLINES[i % HEADLINES.length]} ${i % 97}`,
  }));
  for (const input of inputs.slice(0, 5_000)) matcher.match(input);
  let relevant = 0;
  const start = process.hrtime.bigint();
  for (const input of inputs) if (matcher.match(input).relevant) relevant++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    name: 'matcher-throughput',
    value: Math.round(inputs.length / seconds),
    unit: 'headlines/s',
    target: { atLeast: 200_000 },
    details: { headlines: inputs.length, relevant, seconds: Number(seconds.toFixed(3)) },
  };
}
