import { readLabelsFile } from '#shared/storyline/labels-file.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { evaluateMatcher } from '#shared/storyline/match-evaluation.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

const m = new StorylineMatcher(await loadStorylineFile('seeds/storylines/us-colombia-counternarcotics.json'));
for (const f of ['dev-set', 'holdout-set', 'second-holdout-set']) {
  const e = evaluateMatcher(await readLabelsFile(`test/fixtures/matching/${f}.jsonl`), (i) => m.match(i));
  console.log(f, e.precision.toFixed(3), e.recall.toFixed(3), e.f1.toFixed(3), e.detectionCost.toFixed(3));
}
for (const t of [
  'Trump and Petro Pivot From Public Feuding to Cautious Cooperation After White House Meeting',
  'Petro Suspends U.S. Intelligence Cooperation After Caribbean Strikes',
  'Colombia Halts Intelligence Sharing With U.S. Over Controversial Caribbean Drug Strikes',
  "Colombia says it will keep sharing intelligence with US agencies despite Petro's suspension",
  "Trump vows to act against Colombia's 'illegal drug leader' Petro and halts US aid",
  'Petro suspends intelligence sharing with U.S. after Caribbean strikes',
  'EE.UU. descertifica a Colombia por primera vez en casi 30 años',
  'US strike on alleged drug boat in eastern Pacific kills three',
  'Maduro denuncia despliegue de buques de guerra de EE. UU. en el Caribe',
  'Trump recibe a Petro en la Casa Blanca tras meses de tensión',
  'Treasury sanctions Colombian president Gustavo Petro and his family',
  'Petrobras shares rise after record output',
  'Colombia beats Venezuela in World Cup qualifier',
  'Trump meets Xi in Busan',
  "Venezuela's petro cryptocurrency loses value",
  'Coffee prices climb as Colombian harvest slows',
]) {
  const r = m.match({ title: t });
  console.log(r.relevant ? 'MATCH' : 'no   ', r.score, t, '|', r.why);
}
