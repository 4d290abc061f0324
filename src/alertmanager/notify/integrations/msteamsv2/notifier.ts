/**
 * Microsoft Teams through a Power Automate workflow. Mirrors Alertmanager's
 * notify/msteamsv2/msteamsv2.go: a "message" with one Adaptive Card 1.2 attachment (a heading in
 * "Attention" while firing / "Good" when resolved, then the text) POSTed to webhook_url.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import { jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret, tmpl } from '../shared/templating.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The workflow message as upstream's structs encode it (omitempty fields dropped when empty). */
export function encodeTeamsV2Message(title: string, text: string, color: string): string {
  const heading: Record<string, GoJsonValue> = { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' };
  if (color !== '') heading['color'] = color;
  return goJsonEncode({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body: [heading, { type: 'TextBlock', text, wrap: true }],
          msteams: { width: 'full' },
        },
      },
    ],
  });
}

/** Builds the msteamsv2 Notifier for one validated msteamsv2_configs entry. */
export function createMsteamsv2Notifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const data = buildTemplateData(ctx, alerts);
      const t = tmpl(deps.templates, data);
      const title = t.text(str(s['title']));
      const text = t.text(str(s['text']));
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error };
      const url = inlineSecret(s, 'webhook_url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error };
      const body = encodeTeamsV2Message(title, text, data.status === 'firing' ? 'Attention' : 'Good');
      return sendRequest(deps, { url: url.value, method: 'POST', headers, body }, ctx.signal, 0, [], 'msteamsv2');
    },
  };
}
