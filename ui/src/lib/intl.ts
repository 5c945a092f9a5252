// The page's Intl formatters, each made once per locale and options.
//
// Every `toLocale…String` call given options builds a new ICU formatter in the web process
// (its patterns, the locale's names, the time zone's rules): about a millisecond of work and
// memory in the C heap that stays until the garbage collector happens to free the wrapper.
// The schedule formats a time for every visit and a heading for every day, so the screens
// ask here instead. There are only a handful of locale and option shapes, so nothing is
// ever evicted.

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function memo<F>(cache: Map<string, F>, locale: string | undefined, options: object, make: () => F): F {
  const key = JSON.stringify([locale ?? null, options]);
  let format = cache.get(key);
  if (format === undefined) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

/** The page's `Intl.DateTimeFormat` for `locale` (the user's when undefined) and `options`. */
export function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return memo(dateFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** The page's `Intl.NumberFormat` for `locale` (the user's when undefined) and `options`. */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return memo(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}
