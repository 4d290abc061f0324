/**
 * The engine's canonical copy of a string (V8 "internalizes" every string it uses as a property
 * key). Two internalized strings are equal only if they are the same object, so `===` between them,
 * and a Map lookup that finds one under another, is a pointer comparison that never reads the
 * characters; and their hashes are already computed. JSON.parse hands out short string values (up
 * to 10 characters in Node 20) already internalized, so label values arriving in alerts meet the
 * configuration's matcher values and index keys without a character-by-character comparison, which
 * in a large routing tree was a cache miss per comparison.
 *
 * The key goes through an object in dictionary mode (`Object.create(null)` starts in it, and the
 * delete keeps it there). A fresh literal `{ [s]: true }` would do the same, but each distinct key
 * then adds a hidden-class transition to the root object shape; with the 20,000 strings of a
 * 10,000-route tree, every object JSON.parse builds searched that transition list, and parsing
 * alert bodies took twice as long.
 */
const holder: Record<string, true> = Object.create(null) as Record<string, true>;

export function intern(s: string): string {
  holder[s] = true;
  let canonical = s;
  for (const k in holder) canonical = k;
  delete holder[s];
  return canonical;
}
