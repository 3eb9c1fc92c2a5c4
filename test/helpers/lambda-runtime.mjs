// Runs one function's bundle the way the Lambda Node.js runtime does: the module named by _HANDLER
// is imported once from LAMBDA_TASK_ROOT (the init phase), then its handler is called for each
// event the parent process sends, with a Lambda context, one invocation at a time.
// Plain JavaScript on purpose: it runs in a bare `node`, as the bundles do in Lambda.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const describe = (error) => ({
  name: error instanceof Error ? error.name : 'Error',
  message: error instanceof Error ? error.message : String(error),
});

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const dot = spec.lastIndexOf('.');
  const [moduleName, exportName] = [spec.slice(0, dot), spec.slice(dot + 1)];
  const file = ['.mjs', '.js', '.cjs']
    .map((ext) => join(process.env.LAMBDA_TASK_ROOT ?? '.', `${moduleName}${ext}`))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`Cannot find module ${moduleName} for handler ${spec}`);
  const handler = (await import(pathToFileURL(file).href))[exportName];
  if (typeof handler !== 'function') throw new Error(`${spec} is not a function`);
  return handler;
}

function contextFor(invocation) {
  const deadline = Date.now() + Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT) * 1000;
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: invocation.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

process.on('disconnect', () => process.exit());

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  process.send({ type: 'init-error', error: describe(error) });
}
if (handler) {
  process.on('message', async (invocation) => {
    try {
      const result = await handler(invocation.event, contextFor(invocation));
      process.send({ type: 'result', requestId: invocation.requestId, result: result ?? null });
    } catch (error) {
      process.send({ type: 'error', requestId: invocation.requestId, error: describe(error) });
    }
  });
  process.send({ type: 'ready' });
}
