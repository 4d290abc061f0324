/**
 * Shortens an array that a hot path reuses to `n` elements. Assigning `length` goes through a
 * runtime call in V8 (about 40 ns); popping the one or two elements such arrays hold is a few
 * nanoseconds, which showed in routing, where clearing the result array cost a sixth of a lookup.
 * Long arrays are cut by `length`, which does not depend on how much is cut.
 */
export function truncate(a: unknown[], n = 0): void {
  if (a.length - n > 16) a.length = n;
  else while (a.length > n) a.pop();
}
