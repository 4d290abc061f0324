/** `sns_configs` entry. Mirrors Alertmanager's SNSConfig (config/notifiers.go). */
import { defineIntegration } from '../../../config/integration-def.js';
import { createSnsNotifier } from './notifier.js';

/** Validator for `sns_configs` entries. */
export const snsConfig = defineIntegration({
  name: 'sns',
  create: createSnsNotifier,
  sendResolvedDefault: true,
  goType: 'config.plain',
  fields: {
    api_url: 'string',
    sigv4: {
      kind: { type: 'sigv4.SigV4Config', fields: { region: 'string', access_key: 'string', secret_key: 'secret', profile: 'string', role_arn: 'string', external_id: 'string', use_fips_sts_endpoint: 'bool' } },
      default: {},
      keep: true,
    },
    topic_arn: 'string',
    phone_number: 'string',
    target_arn: 'string',
    subject: { kind: 'string', default: '{{ template "sns.default.subject" . }}' },
    message: { kind: 'string', default: '{{ template "sns.default.message" . }}' },
    attributes: { map: 'string' },
    use_aws_http_client: 'bool',
  },
  check(o, r) {
    const none = (k: string): boolean => o[k] === undefined || o[k] === '';
    // Upstream's chained `!=` over three booleans: accepts exactly one (and, quirkily, all three).
    if ((none('target_arn') !== none('topic_arn')) !== none('phone_number')) {
      r.error('must provide either a Target ARN, Topic ARN, or Phone Number for SNS config', 'missing_field');
    }
  },
});
