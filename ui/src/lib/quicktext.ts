// Quick text as it is typed: ";hep" and a space (or a new line) becomes the clinic's
// phrase for "hep". Pure; tested in quicktext.test.ts.

/** The text and cursor after expanding the phrase just typed before `cursor`, or null when
 *  nothing was typed that names a phrase. */
export function expandPhrase(
  text: string,
  cursor: number,
  phrases: { shortcut: string; text: string }[],
): { text: string; cursor: number } | null {
  const before = text.slice(0, cursor);
  const typed = /(^|\s);([A-Za-z0-9]{1,20})(\s)$/.exec(before);
  if (!typed) return null;
  const shortcut = typed[2]!.toLowerCase();
  const phrase = phrases.find((p) => p.shortcut === shortcut);
  if (!phrase) return null;
  const start = cursor - shortcut.length - 2; // the ";", the shortcut, the space
  const inserted = phrase.text + typed[3];
  return { text: text.slice(0, start) + inserted + text.slice(cursor), cursor: start + inserted.length };
}
