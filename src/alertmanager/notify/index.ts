/** Notification pipeline and shared notifier helpers of one tenant's Alertmanager. */
export { NotificationPipeline, MIN_FLUSH_TIMEOUT_MS } from './pipeline.js';
export type { FlushContext, NotificationPipelineOptions } from './pipeline.js';
export type { PipelineNflog } from './integration-stage.js';
export { ExponentialBackoff, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { checkResponse, failureReasonFromStatus, httpConfigHeaders, sendRequest, userAgent, durationSetting } from './http-util.js';
export type { FailureReason } from './http-util.js';
export { buildTemplateData, commonPairs, quoteMeta } from './template-data.js';
export type { TemplateAlert, TemplateData } from './template-data.js';
export { goJsonEncode, goJsonString, goTimeJson, GoMap, GO_ZERO_TIME_JSON } from '../../core/go-json.js';
export type { GoJsonValue } from '../../core/go-json.js';
