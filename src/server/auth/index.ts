/** HTTP enforcement of issue 9: the route policy table and the hook that applies it. */
export { decideAccess, mayActOn, roleAllows } from './access.js';
export type { Access, AccessRequest } from './access.js';
export { errorFamily, sendRefusal } from './errors.js';
export type { RefusalStatus } from './errors.js';
export { ANONYMOUS_ADMIN, AUTH_OFF, installAuth } from './install.js';
export type { AuthHookOptions } from './install.js';
export { HERALD_ROUTE_POLICIES, METRICS_ROUTE, policyFor, routeKey } from './policies.js';
export type { PolicyTable } from './policies.js';
