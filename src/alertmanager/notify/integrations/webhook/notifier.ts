/** Webhook notifier (being written). */
import type { IntegrationConfig } from '../../../config/types.js';
import type { Notifier, NotifierDeps } from '../../types.js';

/** Builds the webhook Notifier for one validated webhook_configs entry. */
export function createWebhookNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  void config;
  void deps;
  return {
    notify: () => Promise.resolve({ ok: false, retryable: false, error: 'webhook notifier not implemented yet', reason: 'other' }),
  };
}
