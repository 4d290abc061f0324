/** Aggregation groups and the dispatcher of one tenant's Alertmanager. */
export { Dispatcher } from './dispatcher.js';
export type { DispatcherOptions } from './dispatcher.js';
export { AggrGroup } from './aggr-group.js';
export type { GroupNotifier, GroupOwner } from './aggr-group.js';
export { compareAlerts, compareGroups } from './sort.js';
