/**
 * Microsoft Teams through a legacy Office 365 connector. Mirrors Alertmanager's
 * notify/msteams/msteams.go: one MessageCard (title, summary, text templated; themeColor red while
 * anything fires, green once all resolved) POSTed to webhook_url; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import { jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret, tmpl } from '../shared/templating.js';

const COLOR_FIRING = '8C1A1A';
const COLOR_RESOLVED = '2DC72D';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Builds the msteams Notifier for one validated msteams_configs entry. */
export function createMsteamsNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const data = buildTemplateData(ctx, alerts);
      const t = tmpl(deps.templates, data);
      const title = t.text(str(s['title']));
      const text = t.text(str(s['text']));
      const summary = t.text(str(s['summary']));
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error };
      const url = inlineSecret(s, 'webhook_url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error };
      const body = goJsonEncode({
        '@context': 'http://schema.org/extensions',
        type: 'MessageCard',
        title,
        summary,
        text,
        themeColor: data.status === 'firing' ? COLOR_FIRING : COLOR_RESOLVED,
      });
      return sendRequest(deps, { url: url.value, method: 'POST', headers, body }, ctx.signal, 0, [], 'msteams');
    },
  };
}
