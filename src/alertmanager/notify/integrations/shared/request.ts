/**
 * Sending and encoding helpers for the templated integrations: `send` goes through the common
 * sendRequest (timeouts, redaction, http_config) but also hands back the response, for
 * integrations that read the body (Slack's `{"ok":false}`, Telegram, PagerDuty error details);
 * `encodeGo` writes Go encoding/json output for structs (ordered, omitempty by leaving a field
 * undefined) and map[string]any values (keys in Go's byte order).
 */
import type { HttpRequest, HttpResponse } from '../../../../core/runtime.js';
import { compareStrings } from '../../../../core/labels.js';
import { goJsonString } from '../../../../core/go-json.js';
import { sendRequest } from '../../http-util.js';
import type { NotifierDeps, NotifyResult } from '../../types.js';

/** What one send produced: the classified result and, when the server answered, its response. */
export interface SendOutcome {
  readonly result: NotifyResult;
  readonly response?: HttpResponse;
}

/** sendRequest that also returns the server's response (status, headers, body). */
export async function send(
  deps: NotifierDeps,
  req: Omit<HttpRequest, 'signal'>,
  signal: AbortSignal,
  timeoutMs: number,
  retryCodes: readonly number[],
  integration: string,
): Promise<SendOutcome> {
  let response: HttpResponse | undefined;
  const http = {
    async request(r: HttpRequest): Promise<HttpResponse> {
      response = await deps.http.request(r);
      return response;
    },
  };
  const result = await sendRequest({ ...deps, http }, req, signal, timeoutMs, retryCodes, integration);
  return response ? { result, response } : { result };
}

/** A Go struct: fields in declaration order; an undefined value is left out (omitempty). */
export class GoStruct {
  constructor(readonly fields: Readonly<Record<string, unknown>>) {}
}

/** Go's json.Encoder refuses NaN and infinities. */
export class GoJsonUnsupportedValue extends Error {}

/**
 * Encodes as json.NewEncoder(w).Encode does (HTML-safe escaping, trailing newline). Plain objects
 * are maps (sorted keys); GoStruct keeps its order. Throws GoJsonUnsupportedValue for NaN/±Inf.
 */
export function encodeGo(v: unknown): string {
  const out: string[] = [];
  write(v, out);
  out.push('\n');
  return out.join('');
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(goJsonString(v));
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new GoJsonUnsupportedValue(`json: unsupported value: ${v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN'}`);
    out.push(goFloat(v));
  } else if (typeof v === 'bigint') {
    out.push(v.toString());
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x: unknown, i) => {
      if (i > 0) out.push(',');
      write(x, out);
    });
    out.push(']');
  } else if (v instanceof GoStruct) {
    writeEntries(Object.entries(v.fields).filter(([, x]) => x !== undefined), out);
  } else if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    writeEntries(
      Object.keys(obj)
        .sort(compareStrings)
        .map((k) => [k, obj[k]]),
      out,
    );
  } else {
    out.push('null');
  }
}

function writeEntries(entries: ReadonlyArray<readonly [string, unknown]>, out: string[]): void {
  out.push('{');
  entries.forEach(([k, x], i) => {
    if (i > 0) out.push(',');
    out.push(goJsonString(k), ':');
    write(x, out);
  });
  out.push('}');
}

/** float64 as Go's encoder writes it: like JS, but exponents of small/large numbers get two digits. */
function goFloat(v: number): string {
  const s = String(v);
  const m = /^(-?[\d.]+)e([+-])(\d)$/.exec(s);
  return m ? `${m[1]}e${m[2]}0${m[3]}` : s;
}
