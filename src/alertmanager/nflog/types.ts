import type { Millis } from '../../core/alert.js';

/** One notification-log entry: what was last sent for a group to one integration (nflogpb.Entry). */
export interface NflogEntry {
  readonly groupKey: string;
  /** `<receiverName>/<integration>/<index>`, as upstream's nflog receiverKey. */
  readonly receiverKey: string;
  /** When the notification was logged. */
  readonly timestamp: Millis;
  /** Dedup ids of the alerts firing in that notification. */
  readonly firingAlerts: readonly string[];
  /** Dedup ids of the alerts resolved in that notification. */
  readonly resolvedAlerts: readonly string[];
  /** After this the entry may be garbage collected. */
  readonly expiresAt: Millis;
}
