import type { AlertRecord, AlertState } from './alert-record.ts';

/** An alert as the status API shows it. */
export interface AlertStatus {
  title: string;
  url: string | null;
  state: AlertState;
  /** When it was claimed, or held back by the cap. */
  decidedAt: string;
  sentAt: string | null;
  sources: string[];
  score: number;
  why: string | null;
  /** Why the last publish failed (state `failed`). */
  error: string | null;
}

export function toAlertStatus(record: AlertRecord): AlertStatus {
  return {
    title: record.title,
    url: record.url ?? null,
    state: record.state,
    decidedAt: record.decidedAt,
    sentAt: record.state === 'sent' ? record.sentAt : null,
    sources: record.sources,
    score: record.score,
    why: record.why ?? null,
    error: record.state === 'failed' ? record.error : null,
  };
}
