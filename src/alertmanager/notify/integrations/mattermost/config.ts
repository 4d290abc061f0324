/** `mattermost_configs` entry. Mirrors Alertmanager's notify/mattermost/config.go. */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import type { StructSchema } from '../../../config/schema.js';
import { createMattermostNotifier } from './notifier.js';

const FIELD: StructSchema = {
  type: 'mattermost.plain',
  fields: { title: 'string', value: 'string', short: 'bool' },
  check(o, r) {
    if (isEmpty(o['title'])) r.error('missing title in Mattermost field configuration', 'missing_field');
    if (isEmpty(o['value'])) r.error('missing value in Mattermost field configuration', 'missing_field');
  },
};

const ATTACHMENT: StructSchema = {
  type: 'mattermost.MattermostAttachment',
  fields: {
    fallback: 'string', color: 'string', pretext: 'string', text: 'string', author_name: 'string', author_link: 'string', author_icon: 'string',
    title: 'string', title_link: 'string', fields: { list: FIELD }, thumb_url: 'string', footer: 'string', footer_icon: 'string', image_url: 'string',
  },
};

const tpl = (n: string): { kind: 'string'; default: string } => ({ kind: 'string', default: `{{ template "mattermost.default.${n}" . }}` });

/** Validator for `mattermost_configs` entries. */
export const mattermostConfig = defineIntegration({
  name: 'mattermost',
  create: createMattermostNotifier,
  sendResolvedDefault: true,
  goType: 'mattermost.plain',
  fields: {
    webhook_url: 'secretUrl',
    webhook_url_file: 'string',
    channel: 'string',
    username: tpl('username'),
    text: tpl('text'),
    fallback: tpl('fallback'),
    color: tpl('color'),
    pretext: 'string',
    author_name: 'string',
    author_link: 'string',
    author_icon: 'string',
    title: tpl('title'),
    title_link: tpl('titlelink'),
    fields: { list: FIELD },
    thumb_url: 'string',
    footer: 'string',
    footer_icon: 'string',
    image_url: 'string',
    icon_url: 'string',
    icon_emoji: 'string',
    attachments: { list: ATTACHMENT },
    type: 'string',
    props: { type: 'mattermost.MattermostProps', fields: { card: 'string' } },
    priority: { type: 'mattermost.MattermostPriority', fields: { priority: 'string', requested_ack: 'bool', persistent_notifications: 'bool' } },
  },
  check(o, r) {
    atMostOne(o, r, 'webhook_url', 'webhook_url_file');
  },
  fillIn(o, g, r) {
    if (o['webhook_url'] === undefined && isEmpty(o['webhook_url_file'])) {
      if (g['mattermost_webhook_url'] === undefined && isEmpty(g['mattermost_webhook_url_file'])) {
        r.error('missing webhook_url or webhook_url_file on mattermost_config', 'missing_field');
        return;
      }
      if (g['mattermost_webhook_url'] !== undefined) o['webhook_url'] = g['mattermost_webhook_url'];
      if (!isEmpty(g['mattermost_webhook_url_file'])) o['webhook_url_file'] = g['mattermost_webhook_url_file'];
    }
  },
});
