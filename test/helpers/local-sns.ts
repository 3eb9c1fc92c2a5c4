import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message that a client published, as the stand-in received it. */
export interface PublishedMessage {
  topicArn: string;
  subject: string | undefined;
  message: string;
  attributes: Record<string, string>;
  /** The credential scope of the request's SigV4 signature: key/date/region/service/aws4_request. */
  credentialScope: string | undefined;
}

export interface LocalSns {
  /** For AWS_ENDPOINT_URL_SNS. */
  endpoint: string;
  published: PublishedMessage[];
  close(): Promise<void>;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * A stand-in for SNS on 127.0.0.1 that speaks as much of its Query API as Publish needs, accepts
 * only the topics it is told about, and records every message.
 */
export async function startLocalSns(topicArns: readonly string[]): Promise<LocalSns> {
  const published: PublishedMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const reply = (status: number, xml: string) =>
        res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
      if (form.get('Action') !== 'Publish') {
        reply(400, errorXml('InvalidAction', `the stand-in only knows Publish, not ${form.get('Action')}`));
        return;
      }
      const topicArn = form.get('TopicArn') ?? '';
      if (!topicArns.includes(topicArn)) {
        reply(404, errorXml('NotFound', `Topic does not exist: ${topicArn}`));
        return;
      }
      published.push({
        topicArn,
        subject: form.get('Subject') ?? undefined,
        message: form.get('Message') ?? '',
        attributes: messageAttributes(form),
        credentialScope: /Credential=([^,]+)/.exec(req.headers.authorization ?? '')?.[1],
      });
      reply(
        200,
        `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** MessageAttributes.entry.N.Name / .Value.StringValue pairs. */
function messageAttributes(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? '';
    attributes[name] = form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
  }
  return attributes;
}

function errorXml(code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
