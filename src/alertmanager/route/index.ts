/** The routing tree of one tenant's Alertmanager. */
export { Route, RouteTree, DEFAULT_GROUP_WAIT_MS, DEFAULT_GROUP_INTERVAL_MS, DEFAULT_REPEAT_INTERVAL_MS } from './route.js';
export { ChildIndex } from './child-index.js';
