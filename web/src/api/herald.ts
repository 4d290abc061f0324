/**
 * Herald's own endpoints for the UI (src/server/ui-api on the server). The shapes are defined once,
 * in src/server/ui-api/wire.ts, which the server also compiles against.
 */
import type { Client } from './client.js';
import type { RouteTestResult, RoutingTree, TenantList, TenantStatus, WhoAmI } from '../../../src/server/ui-api/wire.js';

export type { RouteNode, RouteTestResult, RoutingTree, TenantList, TenantStatus, WhoAmI } from '../../../src/server/ui-api/wire.js';

export function whoAmI(c: Client): Promise<WhoAmI> {
  return c.json<WhoAmI>('/api/herald/v1/whoami');
}

export function listTenants(c: Client): Promise<TenantList> {
  return c.json<TenantList>('/api/herald/v1/tenants');
}

export function getRoutingTree(c: Client): Promise<RoutingTree> {
  return c.json<RoutingTree>('/api/herald/v1/routes');
}

export function testRoutes(c: Client, labels: Readonly<Record<string, string>>): Promise<RouteTestResult> {
  return c.json<RouteTestResult>('/api/herald/v1/routes/test', { method: 'POST', body: { labels } });
}

export function getTenantStatus(c: Client): Promise<TenantStatus> {
  return c.json<TenantStatus>('/api/herald/v1/status');
}
