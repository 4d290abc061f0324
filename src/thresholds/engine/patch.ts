/**
 * Edits a tenant document key by key (the API's PATCH, `herald tenant patch`), keeping the
 * document's comments and key order: the yaml Document API changes only the touched pairs.
 */
import { isMap, parseDocument } from 'yaml';
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { Node } from 'yaml';
import { isEmpty } from '../config/yaml-source.js';

/** key -> new value; null removes the key (back to the default). */
export type ThresholdPatch = Readonly<Record<string, number | string | boolean | null>>;

/** The document text with `changes` applied; fails when `text` is not a YAML mapping. */
export function applyPatch(text: string, changes: ThresholdPatch): Result<string> {
  const doc = parseDocument<Node, false>(text);
  if (doc.errors.length > 0) return fail([issue('yaml', 'the stored document is not valid YAML; replace it with PUT')]);
  if (isEmpty(doc.contents)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) return fail([issue('type', 'the stored document is not a mapping; replace it with PUT')]);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) doc.delete(key);
    else doc.set(key, value);
  }
  return ok(doc.toString());
}
