/**
 * The engine's canonical copy of a string (V8 "internalizes" every string it uses as a property
 * key). Two internalized strings are equal only if they are the same object, so `===` between them,
 * and a Map lookup that finds one under another, is a pointer comparison that never reads the
 * characters; and their hashes are already computed. JSON.parse hands out short string values (up
 * to 10 characters in Node 20) already internalized, so label values arriving in alerts meet the
 * configuration's matcher values and index keys without a character-by-character comparison, which
 * in a large routing tree was a cache miss per comparison.
 */
export function intern(s: string): string {
  const holder: Record<string, true> = { [s]: true };
  for (const k in holder) return k;
  return s;
}
