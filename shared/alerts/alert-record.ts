/** An alert as the table keeps it: one per development, keyed by the report that led it. */
interface AlertBase {
  storylineId: string;
  /** Unique per alert; says which claim a log line or an email belongs to. */
  alertId: string;
  /** The report the alert leads with; the record's key, so a report is alerted once. */
  itemKey: string;
  /** Every report of the development known when the alert was decided, lead first. */
  itemKeys: string[];
  title: string;
  url: string | undefined;
  sources: string[];
  score: number;
  why: string | undefined;
  /** When the alert was claimed (or held back by the cap); orders a storyline's alerts. */
  decidedAt: string;
}

/** The message exactly as it is (or was) published: a retry sends these same words. */
export interface AlertMessage {
  subject: string;
  text: string;
  /** Reports of the development the message covers. */
  itemCount: number;
}

/**
 * Delivery states. `claimed`: written before publishing; `sent`: SNS accepted it; `failed`: SNS
 * refused it and the next poll run tries again; `unknown`: the run stopped between publishing and
 * recording the outcome, so the alert may have gone out and is never sent again (at most once).
 */
export type AlertDelivery =
  | { state: 'claimed'; attemptAt: string }
  | { state: 'sent'; sentAt: string; messageId: string }
  | { state: 'failed'; failedAt: string; error: string }
  | { state: 'unknown'; since: string };

/** `capped`: the hourly cap was reached; the development waits for the digest, never alerted. */
export type AlertRecord =
  | (AlertBase & { state: 'capped' })
  | (AlertBase & { message: AlertMessage; attempts: number } & AlertDelivery);

export type AlertState = AlertRecord['state'];
export type PublishedAlertRecord = Extract<AlertRecord, { message: AlertMessage }>;
