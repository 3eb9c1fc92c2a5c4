import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ApiRequest, handleApiRequest, INTERNAL_ERROR } from '#shared/status/status-api.ts';
import type { StatusDependencies } from '#shared/status/status-model.ts';

export interface StatusHandlerDependencies extends StatusDependencies {
  logger: Pick<Logger, 'error'>;
}

/** API Gateway HTTP API (payload v2) in, the status API's response out. */
export function createStatusHandler(deps: StatusHandlerDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const request: ApiRequest = {
      method: event.requestContext.http.method.toUpperCase(),
      path: event.rawPath,
      query: event.queryStringParameters ?? {},
      accept: event.headers.accept ?? event.headers.Accept,
      authorization: event.headers.authorization ?? event.headers.Authorization,
    };
    try {
      const response = await handleApiRequest(request, deps);
      return request.method === 'HEAD' ? { ...response, body: '' } : response;
    } catch (error) {
      deps.logger.error('status request failed', { path: request.path, error: error as Error });
      return { ...INTERNAL_ERROR, headers: { ...INTERNAL_ERROR.headers } };
    }
  };
}
