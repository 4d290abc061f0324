/**
 * Label-set helpers for rule output: exact series keys (Prometheus keys its per-rule series
 * bookkeeping by the label set's bytes, rules/group.go `seriesInPreviousEval`) and label sets
 * built in Prometheus' sorted order (labels.Builder), so every emitted set reads the same.
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';

/** An exact, collision-free key of a label set: sorted `name\xffvalue\xff` pairs. */
export function seriesKey(labels: Labels): string {
  const names = Object.keys(labels).sort(compareStrings);
  let key = '';
  for (const n of names) key += `${n}\xff${labels[n] as string}\xff`;
  return key;
}

/** A copy of `labels` with its names in Go sort order; empty values are dropped as labels.Builder does. */
export function sortLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels).sort(compareStrings)) {
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
