/**
 * The shapes of Herald's own endpoints for the UI (/api/herald/v1, served by ./routes.ts): who the
 * user is, which tenants they may see, the routing tree, route testing and a status summary. The
 * one definition both sides compile against: the server types its answers with them, and the web
 * client (web/src/api/herald.ts) re-exports them. No imports, so the web build can read this file.
 * docs/api.md documents them.
 */

/** GET /api/herald/v1/whoami */
export interface WhoAmI {
  /** `off`: no sign-in needed (every caller is anonymous with every tenant). */
  readonly auth: 'off' | 'required';
  readonly subject: string;
  readonly role: 'viewer' | 'writer' | 'editor' | 'admin';
  /** `*`: every tenant. */
  readonly tenants: readonly string[] | '*';
}

/** GET /api/herald/v1/tenants: the tenants the caller may see, sorted. */
export interface TenantList {
  readonly tenants: readonly string[];
}

/** One node of the tenant's routing tree, with inherited settings already applied. */
export interface RouteNode {
  /** Child indexes from the root (`[]` for the root). */
  readonly path: readonly number[];
  readonly receiver: string;
  /** As amtool prints them: `severity="critical"`, `job=~"api.*"`. */
  readonly matchers: readonly string[];
  readonly continue: boolean;
  /** `["..."]`: group by every label. */
  readonly group_by: readonly string[];
  readonly group_wait: string;
  readonly group_interval: string;
  readonly repeat_interval: string;
  readonly mute_time_intervals: readonly string[];
  readonly active_time_intervals: readonly string[];
  readonly routes: readonly RouteNode[];
}

/** GET /api/herald/v1/routes */
export interface RoutingTree {
  /** Where the tenant's configuration comes from. */
  readonly source: 'pinned' | 'kube' | 'stored' | 'fallback';
  readonly route: RouteNode;
}

/** POST /api/herald/v1/routes/test `{labels}`: what `amtool config routes test` answers. */
export interface RouteTestResult {
  /** Receiver names in the order the matching routes are found (duplicates removed). */
  readonly receivers: readonly string[];
  /** Every matching route, in tree order. */
  readonly routes: readonly { readonly path: readonly number[]; readonly receiver: string; readonly group_by: readonly string[] }[];
}

/** GET /api/herald/v1/status */
export interface TenantStatus {
  readonly tenant: string;
  readonly version: Readonly<Record<string, string>>;
  /** RFC 3339. */
  readonly started_at: string;
  readonly uptime_seconds: number;
  readonly config: { readonly source: RoutingTree['source']; /** YAML, secrets shown as <secret>. */ readonly original: string };
  /** The tenant's effective limits (name -> value), as in Herald's config `limits`. */
  readonly limits: Readonly<Record<string, number | string | boolean>>;
  readonly usage: {
    readonly alerts: number;
    readonly active_alerts: number;
    readonly silences: number;
    readonly aggregation_groups: number;
    readonly active_series: number;
    readonly rule_groups: number;
    readonly rules: number;
  };
}
