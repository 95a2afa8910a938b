// "2 min ago" for the eye, the full local time on hover.

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 4.35], ["month", 12], ["year", Infinity],
];

export function timeAgo(iso: string, now: Date = new Date()): string {
  let amount = (new Date(iso).getTime() - now.getTime()) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return unit === "second" && Math.abs(amount) < 30 ? "just now" : relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return relative.format(Math.round(amount), "year");
}

export function fullTime(iso: string): string {
  return full.format(new Date(iso));
}

/** The wall-clock time in another time zone ("8:00 AM"), e.g. when a text may go out where its recipient is. */
export function timeIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone }).format(new Date(iso));
}
