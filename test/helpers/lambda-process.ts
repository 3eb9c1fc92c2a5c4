import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import type { SynthesizedFunction } from './synthesized-stack.ts';

const RUNTIME = join(import.meta.dirname, 'lambda-runtime.mjs');

type RuntimeMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: { name: string; message: string } }
  | { type: 'result'; requestId: string; result: unknown }
  | { type: 'error'; requestId: string; error: { name: string; message: string } };

export class InvocationError extends Error {
  override name = 'InvocationError';
}

/** Everything a function process wrote, line by line, once it has stopped. */
export interface FunctionOutput {
  stdout: string[];
  stderr: string[];
}

/** One function's execution environment: a Node process that stays warm between invocations. */
export interface LambdaProcess {
  invoke(event: unknown): Promise<{ requestId: string; result: unknown }>;
  stop(): Promise<FunctionOutput>;
}

/**
 * Starts a function as Lambda would: its code directory as the task root and working directory,
 * the template's environment plus what Lambda itself sets, and nothing from this process's
 * environment except PATH (so no developer's AWS profile or settings leak in).
 */
export async function startLambdaProcess(
  fn: SynthesizedFunction,
  taskRoot: string,
  environment: Record<string, string>,
): Promise<LambdaProcess> {
  const name = `NewsMonitor-${fn.constructId}`;
  const child = fork(RUNTIME, [], {
    cwd: taskRoot,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: fn.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
      ...environment,
    },
  });
  const output: FunctionOutput = { stdout: [], stderr: [] };
  collectLines(child, 'stdout', output.stdout);
  collectLines(child, 'stderr', output.stderr);
  // Done once the process has exited and its output is read to the end ('close' is not always emitted).
  const stopped = Promise.all([
    once(child, 'exit'),
    ...[child.stdout, child.stderr].map((stream) => (stream ? once(stream, 'close') : undefined)),
  ]);
  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.once('exit', (code) => {
    for (const waiting of pending.values())
      waiting.reject(new InvocationError(`${name} exited with code ${code} during an invocation`));
    pending.clear();
  });

  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(
        new InvocationError(`${name} exited with code ${code} during init: ${output.stderr.join('\n')}`),
      ),
    );
    child.on('message', (message: RuntimeMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'init-error')
        reject(
          new InvocationError(`${name} failed to start: ${message.error.name}: ${message.error.message}`),
        );
      else {
        const waiting = pending.get(message.requestId);
        pending.delete(message.requestId);
        if (message.type === 'result') waiting?.resolve(message.result);
        else waiting?.reject(new InvocationError(`${message.error.name}: ${message.error.message}`));
      }
    });
  });
  try {
    await ready;
  } catch (error) {
    if (child.connected) child.disconnect();
    await stopped;
    throw error;
  }

  return {
    async invoke(event) {
      const requestId = randomUUID();
      const result = await new Promise((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        child.send({ requestId, event });
      });
      return { requestId, result };
    },
    async stop() {
      if (child.connected) child.disconnect();
      await stopped;
      return output;
    },
  };
}

function collectLines(child: ChildProcess, stream: 'stdout' | 'stderr', lines: string[]): void {
  let rest = '';
  child[stream]?.setEncoding('utf8');
  child[stream]?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.length > 0));
  });
  child[stream]?.on('end', () => {
    if (rest) lines.push(rest);
  });
}
