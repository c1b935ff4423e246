// The one reading of an HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.

/** The wait in milliseconds; undefined when the header is absent or unreadable. A date in the past is 0. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
