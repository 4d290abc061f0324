/**
 * Label-set helpers for rule output: exact series keys (Prometheus keys its per-rule series
 * bookkeeping by the label set's bytes, rules/group.go `seriesInPreviousEval`) and label sets
 * built in Prometheus' sorted order (labels.Builder), so every emitted set reads the same.
 * These run once per output sample per evaluation, so they avoid sorting names that are already
 * in order (what the builders here produce).
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';

/** The names of `labels` in Go sort order; the same array when they already are. */
function sortedNames(labels: Labels): string[] {
  const names = Object.keys(labels);
  for (let i = 1; i < names.length; i++) {
    if (compareStrings(names[i - 1] as string, names[i] as string) > 0) return names.sort(compareStrings);
  }
  return names;
}

/** An exact, collision-free key of a label set: sorted `name\xffvalue\xff` pairs. */
export function seriesKey(labels: Labels): string {
  let key = '';
  for (const n of sortedNames(labels)) key += n + '\xff' + (labels[n] as string) + '\xff';
  return key;
}

/** A copy of `labels` with its names in Go sort order; empty values are dropped as labels.Builder does. */
export function sortLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const n of sortedNames(labels)) {
    const v = labels[n] as string;
    if (v !== '') out[n] = v;
  }
  return out;
}

/** `base` overlaid by each of `layers` in turn (later wins), sorted; empty values delete the label. */
export function mergeLabels(base: Labels, ...layers: readonly Labels[]): Labels {
  const out: Record<string, string> = { ...base };
  for (const layer of layers) Object.assign(out, layer);
  return sortLabels(out);
}
