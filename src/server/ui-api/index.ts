/** The UI's API (issue 10): whoami, tenants, routing tree, route test and tenant status. */
export { knownTenants, uiApiRoutes } from './routes.js';
export type { TenantSource, UiApiOptions, UiUsageSources } from './routes.js';
export { parseRouteTestBody, RouteTestBodyError, RoutingView } from './dto.js';
export type { RouteNode, RouteTestResult, RoutingTree, TenantList, TenantStatus, WhoAmI } from './wire.js';
