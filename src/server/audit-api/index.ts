/** The audit hooks and `GET /api/herald/v1/audit` (issue 9). */
export { auditApiRoutes, parseAuditQuery } from './routes.js';
export type { AuditApiOptions, AuditQueryParams } from './routes.js';
export { installAudit, principalSubject, DEFAULT_MAX_RESPONSE_BYTES } from './hooks.js';
export type { AuditHookOptions } from './hooks.js';
