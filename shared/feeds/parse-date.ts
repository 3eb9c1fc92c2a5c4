// Offsets of the zone abbreviations feeds actually write (RFC 822 and common habits).
const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AST: '-0400',
  COT: '-0500',
  VET: '-0400',
  BRT: '-0300',
  ART: '-0300',
  CET: '+0100',
  CEST: '+0200',
  BST: '+0100',
  EET: '+0200',
  EEST: '+0300',
  IST: '+0530',
  JST: '+0900',
};

const MONTHS: Record<string, string> = {
  ene: 'Jan',
  enero: 'Jan',
  feb: 'Feb',
  febrero: 'Feb',
  fev: 'Feb',
  mar: 'Mar',
  marzo: 'Mar',
  abr: 'Apr',
  abril: 'Apr',
  may: 'May',
  mayo: 'May',
  mai: 'May',
  jun: 'Jun',
  junio: 'Jun',
  jul: 'Jul',
  julio: 'Jul',
  ago: 'Aug',
  agosto: 'Aug',
  sep: 'Sep',
  sept: 'Sep',
  set: 'Sep',
  septiembre: 'Sep',
  oct: 'Oct',
  out: 'Oct',
  octubre: 'Oct',
  nov: 'Nov',
  noviembre: 'Nov',
  dic: 'Dec',
  dez: 'Dec',
  diciembre: 'Dec',
};

const FUTURE_TOLERANCE_MS = 2 * 86_400_000;

/**
 * A feed's date as ISO 8601, or undefined when it cannot be trusted (unparseable, before 1990, or
 * days in the future): the first-seen time then stands in. Reads ISO 8601 and RFC 822 with their
 * common variants: zone names, two-digit years, missing seconds, day names, Spanish and Portuguese
 * month names.
 */
export function parseFeedDate(value: string | undefined, now = Date.now()): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // A date and time with no zone would be read in the machine's zone; feeds mean UTC more often.
  const time = Date.parse(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text,
  );
  const parsed = Number.isNaN(time) ? Date.parse(cleanRfc822(text)) : time;
  if (Number.isNaN(parsed)) return undefined;
  if (parsed < Date.UTC(1990, 0, 1) || parsed > now + FUTURE_TOLERANCE_MS) return undefined;
  return new Date(parsed).toISOString();
}

function cleanRfc822(text: string): string {
  let cleaned = text
    .replace(/^[^\d,]*,\s*/, '') // day name, in any language
    .replace(/(\d)(st|nd|rd|th)\b/gi, '$1')
    .replace(/\s+/g, ' ')
    .replace(/\./g, ' ')
    .trim();
  cleaned = cleaned.replace(/\b([A-Za-z]{3,10})\b/g, (word) => {
    const lower = word.toLowerCase();
    return MONTHS[lower] ?? ZONES[word.toUpperCase()] ?? word;
  });
  // "22 Nov 25" -> "22 Nov 2025"
  cleaned = cleaned.replace(
    /^(\d{1,2} [A-Za-z]{3}) (\d{2})(\s|$)/,
    (_m, dayMonth: string, year: string, end: string) => {
      const full = Number(year) < 70 ? `20${year}` : `19${year}`;
      return `${dayMonth} ${full}${end}`;
    },
  );
  // "10:00 -05:00" loses its colon; a time with no zone at all is taken as UTC.
  cleaned = cleaned.replace(/([+-]\d{2}):(\d{2})$/, '$1$2');
  return /\d:\d{2}(:\d{2})?( ?[AP]M)?$/i.test(cleaned) ? `${cleaned} +0000` : cleaned;
}
