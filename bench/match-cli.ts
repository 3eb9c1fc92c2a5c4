import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { BenchResult } from './bench-result.ts';

const ITEMS = 500_000;

/**
 * `match --json` as a whole process, as a script would run it: 500,000 headlines (the written
 * test sets, repeated, with ids) through stdin to stdout, start-up included. CPU time is reported
 * beside wall time: on a shared machine the wall clock mostly measures the neighbours.
 */
export async function benchMatchCli(): Promise<BenchResult> {
  const titles: string[] = [];
  for (const file of ['dev-set.jsonl', 'holdout-set.jsonl', 'second-holdout-set.jsonl']) {
    const text = await readFile(`test/fixtures/matching/${file}`, 'utf8');
    for (const line of text.split('\n')) if (line.trim()) titles.push(JSON.parse(line).title);
  }
  const input = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({ id: String(i), title: titles[i % titles.length] }),
  ).join('\n');
  const started = process.hrtime.bigint();
  const { lines, cpuSeconds } = await runMatch(input);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (lines !== ITEMS) throw new Error(`match --json printed ${lines} lines for ${ITEMS} items`);
  return {
    name: 'match-cli',
    value: Math.round(ITEMS / seconds),
    unit: 'headlines/s through `match --json`, whole process (wall clock)',
    target: { atLeast: 100_000 },
    details: {
      items: ITEMS,
      seconds: Number(seconds.toFixed(2)),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      perCpuSecond: Math.round(ITEMS / cpuSeconds),
    },
  };
}

function runMatch(input: string): Promise<{ lines: number; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    // /usr/bin/time is not everywhere; the child reports its own CPU time on stderr at exit.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("cpu "+(u.user+u.system)+"\\n")})',
        'bin/news-monitor.ts',
        'match',
        '--storyline',
        'us-colombia-counternarcotics',
        '--json',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const cpu = /cpu (\d+)/.exec(stderr);
      if (code !== 0 || !cpu) reject(new Error(`match exited ${code}: ${stderr.slice(0, 300)}`));
      else resolve({ lines, cpuSeconds: Number(cpu[1]) / 1e6 });
    });
    child.stdin.end(input);
  });
}
