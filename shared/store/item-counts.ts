/**
 * A storyline's item counts, kept as counters beside its items: one record per UTC day holding
 * the day's total (`n`) and one number per hour (`h00`..`h23`). Storing a new match adds one to
 * its day and hour; the status reads a few hundred small records instead of every item.
 */

export interface ItemCounts {
  /** Items stored and not yet expired (a day's counter expires with the day's last item). */
  total: number;
  /** Items first seen on each UTC day, "2025-11-12" -> 4. */
  byDay: ReadonlyMap<string, number>;
  /** Items first seen in each UTC hour, "2025-11-12T13" -> 2. */
  byHour: ReadonlyMap<string, number>;
}

const HOUR_ATTRIBUTE = /^h([01]\d|2[0-3])$/;

/** "2025-11-12T13:05:00.000Z" -> { day: "2025-11-12", hourAttribute: "h13" } */
export function countBucket(firstSeenAt: string): { day: string; hourAttribute: string } {
  return { day: firstSeenAt.slice(0, 10), hourAttribute: `h${firstSeenAt.slice(11, 13)}` };
}

/** Tallies first-seen times into day records: day -> { n, h00.. }. */
export class DayTally {
  private readonly days = new Map<string, Record<string, number>>();

  add(firstSeenAt: string): void {
    const { day, hourAttribute } = countBucket(firstSeenAt);
    let record = this.days.get(day);
    if (!record) {
      record = { n: 0 };
      this.days.set(day, record);
    }
    record.n = (record.n ?? 0) + 1;
    record[hourAttribute] = (record[hourAttribute] ?? 0) + 1;
  }

  entries(): IterableIterator<[string, Record<string, number>]> {
    return this.days.entries();
  }
}

/** The counts held by day records (each with its `day` and its numbers). */
export function countsFromDays(
  days: ReadonlyArray<{ day: string; values: Record<string, unknown> }>,
): ItemCounts {
  let total = 0;
  const byDay = new Map<string, number>();
  const byHour = new Map<string, number>();
  for (const { day, values } of days) {
    const n = Number(values.n ?? 0);
    total += n;
    byDay.set(day, n);
    for (const [name, value] of Object.entries(values)) {
      const hour = HOUR_ATTRIBUTE.exec(name)?.[1];
      if (hour !== undefined) byHour.set(`${day}T${hour}`, Number(value));
    }
  }
  return { total, byDay, byHour };
}

/** Items first seen in the hour holding `from` and every hour after it. */
export function itemsSince(counts: ItemCounts, from: Date): number {
  const firstHour = from.toISOString().slice(0, 13);
  let sum = 0;
  for (const [hour, n] of counts.byHour) if (hour >= firstHour) sum += n;
  return sum;
}
