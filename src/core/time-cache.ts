/**
 * A formatter of millisecond times that remembers its recent answers, direct-mapped by the low
 * bits of the time. Alerts posted together share their start, end and update times, so listings
 * and notifications that format three times per alert mostly hit.
 */
const SLOTS = 256;

export function cachedTimeFormat(format: (t: number) => string): (t: number) => string {
  const times = new Float64Array(SLOTS).fill(Number.NaN);
  const texts = new Array<string>(SLOTS).fill('');
  return (t) => {
    const slot = t & (SLOTS - 1);
    if (times[slot] === t) return texts[slot] as string;
    const text = format(t);
    times[slot] = t;
    texts[slot] = text;
    return text;
  };
}
