/**
 * Validates response bodies against Alertmanager's own v2 OpenAPI spec (Swagger 2.0 definitions
 * are JSON-schema draft-4-like; ajv compiles them wrapped as {definitions, $ref}).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse } from 'yaml';

const SPEC = new URL('../../../shared/conformance/alertmanager-api/openapi.yaml', import.meta.url);
const spec = parse(readFileSync(SPEC, 'utf8')) as { definitions: Record<string, unknown> };
const ajv = new Ajv({ strict: false, allErrors: true });
const addFormats = addFormatsImport as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
const cache = new Map<string, ValidateFunction>();

/** Throws with ajv's errors when `body` is not a valid `definition` (or array of it when `array`). */
export function assertSchema(definition: string, body: unknown, array = false): void {
  const key = `${definition}:${array}`;
  let v = cache.get(key);
  if (!v) {
    const ref = { $ref: `#/definitions/${definition}` };
    v = ajv.compile({ definitions: spec.definitions, ...(array ? { type: 'array', items: ref } : ref) });
    cache.set(key, v);
  }
  if (!v(body)) throw new Error(`${definition}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`);
}
