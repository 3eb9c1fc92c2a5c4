import { ConfigError } from './errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The endpoint the environment configures for an AWS service, read as the AWS SDK reads it:
 * AWS_ENDPOINT_URL_<SERVICE> (the service id upper-cased, spaces as underscores) first, then
 * AWS_ENDPOINT_URL; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns both off. Undefined means the
 * service's public endpoint. LocalStack, SAM local and DynamoDB Local users set these.
 */
export function configuredEndpoint(env: Env, serviceId: string): URL | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const serviceSetting = `AWS_ENDPOINT_URL_${serviceId.toUpperCase().split(' ').join('_')}`;
  for (const setting of [serviceSetting, 'AWS_ENDPOINT_URL']) {
    const value = env[setting];
    if (value) return parseEndpoint(setting, value);
  }
  return undefined;
}

function parseEndpoint(setting: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`setting ${setting} is not a URL ("${value}"); set it to http(s)://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`setting ${setting} must be an http or https URL, not "${value}"`);
  }
  return url;
}
