import type { Context } from 'aws-lambda';

/** A Lambda context as the Node.js runtime passes it, with the remaining time counting down. */
export function lambdaContext(
  functionName: string,
  requestId: string,
  options: { timeoutMs?: number; memoryMb?: number } = {},
): Context {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 256),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
