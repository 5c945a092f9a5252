// Small pure helpers the screens share; tested in format.test.ts.
import { dateFormat, numberFormat } from "./intl";
import type { CodingReport } from "./types";

/** "3 units from 47 timed minutes", the billing panel's headline. */
export function billingHeadline(b: CodingReport): string {
  const units = `${b.total_units} unit${b.total_units === 1 ? "" : "s"}`;
  return b.timed_minutes > 0 ? `${units} from ${b.timed_minutes} timed minutes` : units;
}

/** Minutes typed in a field: a whole number 0-1440, or null when it is not one. */
export function parseMinutes(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  const n = Number(t);
  return n <= 1440 ? n : null;
}

/** "09:00" from "2026-03-02T09:00". */
export function timeOf(startsAt: string): string {
  return startsAt.slice(11, 16);
}

/** Today as YYYY-MM-DD in local time. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Cents as dollars: 123456 -> "$1,234.56", -5 -> "-$0.05". */
export function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(cents));
  const dollars = numberFormat("en-US").format(Math.floor(abs / 100));
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, "0")}`;
}

/** Dollars typed by a person as whole cents: "2,460" -> 246000, "$12.5" -> 1250; null when
 *  it is not an amount (negative, more than two decimals, or not a number). */
export function parseDollars(text: string): number | null {
  const t = text.trim().replace(/^\$/, "").replace(/,/g, "");
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** A diagnosis field as typed: the codes already entered, and what is being looked up (the
 *  words typed, or the code still being typed). "M54.50 knee pa" -> codes [M54.50], query
 *  "knee pa"; "M54.50 M25" -> codes [M54.50], query "M25"; "M54.50 " -> query "". */
export function splitDiagnoses(text: string): { codes: string[]; query: string } {
  const tokens = text.split(/[ ,]+/).filter(Boolean);
  const isCode = (t: string) => /^[A-Za-z]\d/.test(t);
  const words = tokens.filter((t) => !isCode(t));
  const codes = tokens.filter(isCode);
  if (words.length > 0) return { codes, query: words.join(" ") };
  const typing = !/[ ,]$/.test(text);
  const last = codes[codes.length - 1];
  return typing && last !== undefined ? { codes: codes.slice(0, -1), query: last } : { codes, query: "" };
}

/** A note's kind as a clinician says it: "daily" -> "Daily note", "reeval" -> "Re-evaluation". */
export function noteKindWords(kind: string): string {
  const words: Record<string, string> = {
    eval: "Evaluation",
    daily: "Daily note",
    progress: "Progress report",
    reeval: "Re-evaluation",
    discharge: "Discharge summary",
  };
  return words[kind] ?? kind;
}

/** A claim status as words: "partially_paid" -> "partially paid". */
export function statusWords(status: string): string {
  return status.replace(/_/g, " ");
}

/** The first and last day of the month before `day` (YYYY-MM-DD): the usual period to bill. */
export function lastMonth(day: string): { from: string; to: string } {
  const [y = 1970, m = 1] = day.split("-").map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, "0");
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, "0")}` };
}

/** A civil date (YYYY-MM-DD, no time zone) in the user's locale: "Feb 17, 1958". The text
 *  itself when it is not a date. */
export function civilDate(text: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return text;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dateFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(date);
}

/** An instant (RFC 3339, as Rust records it) in the user's time zone and locale:
 *  "Dec 3, 2026, 11:48 AM". The text itself when it is not one. */
export function instant(text: string, locale?: string, timeZone?: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return dateFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}
