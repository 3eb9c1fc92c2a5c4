import { describe, expect, it } from 'vitest';
import { systemToolPresent } from '../helpers/system-tool.ts';
import { runCliInTerminal, scriptAvailable } from '../helpers/terminal.ts';

const inTerminal = systemToolPresent(
  scriptAvailable(),
  'script (util-linux)',
  'terminal test of match',
  'apt-get install bsdutils',
);

describe.runIf(inTerminal)('match typed at a terminal', { timeout: 60_000 }, () => {
  it('says what it waits for, answers each line as it is typed, and ends at Ctrl-D', async () => {
    const term = runCliInTerminal(['match', '--storyline', 'us-colombia-counternarcotics']);
    let at = await term.waitFor(/reading items from the terminal, one JSON object per line .*Ctrl-D ends/);
    term.press('{"id":"1","title":"EE. UU. descertifica a Colombia"}\n');
    at = await term.waitFor(/MATCH +[\d.]+ +EE\. UU\. descertifica a Colombia/, at);
    term.press('\u0004');
    expect(await term.exited).toBe(0);
  });
});
