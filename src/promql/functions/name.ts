/**
 * Name dropping for whole-vector kernels. Output of functions that change a value's meaning
 * loses __name__ (and the metadata labels __type__/__unit__, schema.IsMetadataLabel), done here so
 * the result is right whether or not the engine also honours KernelSample.keepName.
 */
import type { Labels } from '../../core/labels.js';

const METADATA_LABELS = ['__name__', '__type__', '__unit__'];

/** The labels without the metadata labels, or the same object when none is set. */
export function withoutName(labels: Labels): Labels {
  let out: Record<string, string> | undefined;
  for (const n of METADATA_LABELS) {
    if (labels[n] === undefined) continue;
    out ??= { ...labels };
    delete out[n];
  }
  return out ?? labels;
}
