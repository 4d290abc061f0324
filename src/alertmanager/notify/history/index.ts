/** Per-tenant notification history: recorder contract, bounded store, query parsing. */
export { NotificationHistory, historyId } from './store.js';
export type { NotificationHistoryOptions } from './store.js';
export { HistoryQueryError, decodeCursor, encodeCursor, parseHistoryParams, parseTimeParam } from './query.js';
export { DEFAULT_HISTORY_BOUNDS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_RECORDED_FINGERPRINTS, OUTCOMES } from './types.js';
export type { HistoryBounds, HistoryEntry, HistoryPage, HistoryQuery, NotificationAttempt, NotificationOutcome, NotificationRecorder } from './types.js';
export { NotificationToolError } from './tools.js';
export type { IntegrationTestResult, NotificationTools, SampleAlertInput, TemplatePreviewRequest, TestReceiverRequest, TestReceiverResult } from './tools.js';
export { TEST_ALERT_ANNOTATIONS, TEST_ALERT_LABELS, TEST_TIMEOUT_MS, sampleAlerts, testReceiver } from './receiver-test.js';
export type { ReceiverTestEnv } from './receiver-test.js';
export { previewTemplate } from './template-preview.js';
export type { PreviewInput } from './template-preview.js';
export { createNotificationTools, createTenantNotificationState, resolveReceiver } from './engine-hooks.js';
export type { NotificationToolsParts, TenantNotificationState } from './engine-hooks.js';
