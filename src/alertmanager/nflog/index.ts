/** Notification log of one tenant's Alertmanager and the dedup decision built on it. */
export { NotificationLog, stateKey, encodeEntry, decodeEntry } from './nflog.js';
export type { NotificationLogOptions } from './nflog.js';
export { needsUpdate } from './needs-update.js';
export type { DedupDecision, NotifyReason } from './needs-update.js';
export type { NflogEntry } from './types.js';
