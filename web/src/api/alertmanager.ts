/**
 * Alertmanager v2 API (the tenant's own, under /api/v2): the shapes of openapi.yaml that the UI
 * reads, and one function per call it makes.
 */
import type { Client } from './client.js';

export interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** Absent means true (older clients). */
  readonly isEqual?: boolean;
}

export type AlertState = 'unprocessed' | 'active' | 'suppressed';

export interface GettableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly generatorURL?: string;
  readonly fingerprint: string;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: {
    readonly state: AlertState;
    readonly silencedBy: readonly string[];
    readonly inhibitedBy: readonly string[];
    readonly mutedBy?: readonly string[];
  };
}

export interface AlertGroup {
  readonly labels: Readonly<Record<string, string>>;
  readonly receiver: { readonly name: string };
  readonly alerts: readonly GettableAlert[];
}

export type SilenceState = 'active' | 'pending' | 'expired';

export interface GettableSilence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly status: { readonly state: SilenceState };
}

export interface PostableSilence {
  /** Set to update (or replace) an existing silence. */
  readonly id?: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

export interface AlertmanagerStatus {
  readonly cluster: { readonly status: string; readonly name?: string };
  readonly versionInfo: Readonly<Record<string, string>>;
  readonly config: { readonly original: string };
  readonly uptime: string;
}

/** Which alerts a list call returns (the v2 query parameters). */
export interface AlertFilter {
  /** Matcher strings as amtool writes them (`severity="critical"`, `job=~"api.*"`). */
  readonly filter?: readonly string[];
  readonly active?: boolean;
  readonly silenced?: boolean;
  readonly inhibited?: boolean;
  readonly unprocessed?: boolean;
  /** A regular expression on the receiver name. */
  readonly receiver?: string;
}

function alertQuery(f: AlertFilter): Record<string, string | readonly string[] | boolean | undefined> {
  return { filter: f.filter, active: f.active, silenced: f.silenced, inhibited: f.inhibited, unprocessed: f.unprocessed, receiver: f.receiver === '' ? undefined : f.receiver };
}

export function getAlerts(c: Client, f: AlertFilter = {}, signal?: AbortSignal): Promise<GettableAlert[]> {
  return c.json<GettableAlert[]>('/api/v2/alerts', { query: alertQuery(f), ...(signal ? { signal } : {}) });
}

export function getAlertGroups(c: Client, f: AlertFilter = {}, signal?: AbortSignal): Promise<AlertGroup[]> {
  return c.json<AlertGroup[]>('/api/v2/alerts/groups', { query: alertQuery(f), ...(signal ? { signal } : {}) });
}

export function getSilences(c: Client, filter?: readonly string[]): Promise<GettableSilence[]> {
  return c.json<GettableSilence[]>('/api/v2/silences', { query: { filter } });
}

export function getSilence(c: Client, id: string): Promise<GettableSilence> {
  return c.json<GettableSilence>(`/api/v2/silence/${encodeURIComponent(id)}`);
}

/** Creates or updates a silence; resolves with its id. */
export async function postSilence(c: Client, s: PostableSilence): Promise<string> {
  const r = await c.json<{ silenceID: string }>('/api/v2/silences', { method: 'POST', body: s });
  return r.silenceID;
}

export function expireSilence(c: Client, id: string): Promise<void> {
  return c.send(`/api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function getReceivers(c: Client): Promise<{ name: string }[]> {
  return c.json<{ name: string }[]>('/api/v2/receivers');
}

export function getStatus(c: Client): Promise<AlertmanagerStatus> {
  return c.json<AlertmanagerStatus>('/api/v2/status');
}
