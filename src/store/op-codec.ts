/**
 * The wire form of a write batch between the main thread and the SQLite writer thread: one string
 * instead of an array of op objects. A string crosses postMessage as one copy, while an array of
 * objects is cloned field by field on both threads; under alert load that clone was the largest
 * cost of a write on the main thread.
 *
 * Each op is a tag (`p` put, `d` delete, `a` deleteAll) followed by its fields, each written as
 * `<length>:<text>` so any text (separators included) round-trips; a put ends with its expiry
 * field, empty when it has none. The decoder is also embedded in the writer's source text.
 */
import type { StateOp } from '../core/state-store.js';

const field = (s: string): string => `${s.length}:${s}`;

/**
 * Encodes validated ops for the writer thread. A batch is nearly always one tenant and kind (an
 * alert put writes one op per alert), so their fields are framed once and reused, and each put is
 * joined from as few pieces as possible: every piece is one more string to allocate and to copy
 * when the batch is flattened for postMessage.
 */
export function encodeOps(ops: readonly StateOp[]): string {
  let out = '';
  let tenant: string | undefined;
  let kind: string | undefined;
  let head = '';
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as StateOp;
    if (op.op === 'put') {
      if (op.tenant !== tenant || op.kind !== kind) {
        tenant = op.tenant;
        kind = op.kind;
        head = `p${field(tenant)}${field(kind)}`;
      }
      const key = op.key;
      const value = op.value;
      out += head + key.length + ':' + key + value.length + ':' + value + (op.expiresAt === undefined ? '0:' : field(String(op.expiresAt)));
    } else if (op.op === 'delete') {
      out += `d${field(op.tenant)}${field(op.kind)}${field(op.key)}`;
    } else {
      out += `a${field(op.tenant)}${field(op.kind)}`;
    }
  }
  return out;
}

/**
 * JavaScript source of `forEachOp(text, visit)`, the decoder the writer thread runs: calls
 * `visit(tag, tenant, kind, key, value, expiresAt)` per op, with `expiresAt` null when unset.
 * Throws on text this encoder could not have produced.
 */
export const DECODE_OPS_SOURCE = `
function forEachOp(s, visit) {
  let i = 0;
  const next = () => {
    const colon = s.indexOf(':', i);
    const n = colon < 0 ? NaN : Number(s.slice(i, colon));
    if (!Number.isInteger(n) || n < 0 || colon + 1 + n > s.length) throw new Error('state writer: malformed batch at offset ' + i);
    i = colon + 1 + n;
    return s.slice(colon + 1, i);
  };
  while (i < s.length) {
    const tag = s[i++];
    const tenant = next();
    const kind = next();
    if (tag === 'p') {
      const key = next();
      const value = next();
      const exp = next();
      visit(tag, tenant, kind, key, value, exp === '' ? null : Number(exp));
    } else if (tag === 'd') visit(tag, tenant, kind, next(), null, null);
    else if (tag === 'a') visit(tag, tenant, kind, null, null, null);
    else throw new Error('state writer: unknown op tag ' + JSON.stringify(tag));
  }
}
`;
