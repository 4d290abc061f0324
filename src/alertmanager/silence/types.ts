import type { Millis } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';

export type SilenceState = 'expired' | 'active' | 'pending';

/** A silence as stored (one matcher set, as the v2 API exposes it). */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly updatedAt: Millis;
  readonly createdBy: string;
  readonly comment: string;
  readonly annotations?: Labels;
}

/** What a client submits: `id` set means "update this silence". */
export interface SilenceInput {
  readonly id?: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly createdBy: string;
  readonly comment: string;
  readonly annotations?: Labels;
}
