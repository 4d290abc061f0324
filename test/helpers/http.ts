/** Small HTTP client for the API under test: JSON or text bodies, optional tenant header. */

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  /** The body parsed as JSON (throws with the text when it is not JSON). */
  json<T = unknown>(): T;
}

export interface RequestOptions {
  readonly tenant?: string;
  readonly body?: unknown;
  /** Sent as-is (no JSON encoding) when a string. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** One request; never throws for HTTP error statuses. */
export async function request(method: string, url: string, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.tenant !== undefined) headers['X-Scope-OrgID'] = opts.tenant;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return {
    status: res.status,
    text,
    headers: res.headers,
    json<T>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`not JSON (HTTP ${res.status}): ${text.slice(0, 500)}`);
      }
    },
  };
}

/** A postable alert with labels, firing for an hour unless told otherwise. */
export function alert(labels: Record<string, string>, extra: { annotations?: Record<string, string>; startsAt?: string; endsAt?: string } = {}): Record<string, unknown> {
  return { labels, annotations: extra.annotations ?? {}, startsAt: extra.startsAt ?? new Date().toISOString(), endsAt: extra.endsAt ?? new Date(Date.now() + 3600_000).toISOString() };
}

/** A postable silence over equality matchers, active for an hour. */
export function silence(matchers: Record<string, string>, extra: { startsAt?: string; endsAt?: string; comment?: string } = {}): Record<string, unknown> {
  return {
    matchers: Object.entries(matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
    startsAt: extra.startsAt ?? new Date().toISOString(),
    endsAt: extra.endsAt ?? new Date(Date.now() + 3600_000).toISOString(),
    createdBy: 'e2e',
    comment: extra.comment ?? 'e2e test',
  };
}

/** An Alertmanager config routing everything to one webhook, with the suite's short timers. */
export function webhookConfig(url: string, opts: { groupBy?: readonly string[]; receiver?: string; groupWait?: string; groupInterval?: string; repeatInterval?: string } = {}): string {
  const name = opts.receiver ?? 'hook';
  return [
    'route:',
    `  receiver: ${name}`,
    `  group_by: [${(opts.groupBy ?? ['alertname']).join(', ')}]`,
    `  group_wait: ${opts.groupWait ?? '1s'}`,
    `  group_interval: ${opts.groupInterval ?? '2s'}`,
    `  repeat_interval: ${opts.repeatInterval ?? '1h'}`,
    'receivers:',
    `- name: ${name}`,
    '  webhook_configs:',
    `  - url: ${url}`,
    '',
  ].join('\n');
}
