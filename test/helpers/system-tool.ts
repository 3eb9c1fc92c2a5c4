/**
 * Tests that need a system tool run whenever it is present. Without it they are left out with a
 * printed reason, so a newcomer's `npm test` passes; under CI=true a missing tool is a failure,
 * because .ci/run installs it.
 */
export function systemToolPresent(present: boolean, tool: string, tests: string, install: string): boolean {
  if (present) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${tool} is required for the ${tests} under CI=true; .ci/run installs it with apt-get`);
  }
  process.stderr.write(`${tests} left out: no ${tool} found (${install} to run them)\n`);
  return false;
}
