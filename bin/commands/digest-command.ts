import { prepareDigest, sendDigest } from '#shared/digest/digest-service.ts';
import { FileNotifier } from '#shared/digest/file-notifier.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  parseCommandArgs,
  requireOption,
  UsageError,
} from '../cli-io.ts';
import { DEFAULT_DATA_DIR, openLocalRuntime } from '../local-runtime.ts';

export const digestCommand: Command = {
  name: 'digest',
  summary: 'build the digest of what is new for a storyline',
  usage: `news-monitor digest --storyline ID [--preview] [--data-dir DIR] [--json]

Builds the digest of items first seen since the last digest, prints it, writes it to
DIR/digests/ and moves the storyline's cursor (locally, the file stands in for the email).
  --preview        only print it: nothing is written and the cursor stays
  --data-dir DIR   local state (default ${DEFAULT_DATA_DIR})
With --json: {"subject", "text", "itemCount"}.`,
  async run({ argv, stdout, stderr }) {
    const { values } = parseCommandArgs('digest', argv, {
      ...COMMON_OPTIONS,
      storyline: { type: 'string' },
      preview: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
    });
    const id = requireOption('digest', values.storyline, '--storyline');
    const out = new CliOutput(values.json, stdout, stderr);
    const runtime = await openLocalRuntime(values['data-dir']);
    try {
      const storyline = runtime.storylines.find((s) => s.id === id);
      if (!storyline) {
        throw new UsageError(
          `digest: no storyline "${id}"; known: ${runtime.storylines.map((s) => s.id).join(', ')}`,
        );
      }
      const deps = { store: runtime.store, alerts: runtime.alerts, clock: () => new Date() };
      if (values.preview) {
        const digest = await prepareDigest(storyline, deps);
        out.record({ subject: digest.subject, text: digest.text, itemCount: digest.itemCount });
        out.say(
          digest.itemCount === 0
            ? `Nothing new for ${storyline.id} since the last digest.`
            : `Subject: ${digest.subject}\n\n${digest.text}`,
        );
        return 0;
      }
      const outcome = await sendDigest(storyline, { ...deps, notifier: new FileNotifier(runtime.dataDir) });
      const { digest } = outcome;
      out.record({ subject: digest.subject, text: digest.text, itemCount: digest.itemCount });
      if (outcome.status === 'quiet')
        out.say(`Nothing new for ${storyline.id} since the last digest; nothing written.`);
      else if (outcome.status === 'already-sent')
        out.say('Another run sent this digest first; nothing written twice.');
      else out.say(`Subject: ${digest.subject}\n\n${digest.text}\n\nWritten to ${outcome.messageId}`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
