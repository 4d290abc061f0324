/** The thresholds HTTP API (per tenant) and the operators' exposition endpoint of all thresholds. */
export { DEFAULT_MAX_DOCUMENT_BYTES, EXPOSITION_CONTENT_TYPE, thresholdsApiRoutes, thresholdsExpositionRoute } from './routes.js';
export type { ThresholdDocuments, ThresholdsApiOptions, ThresholdsExpositionOptions } from './routes.js';
export { parsePatchBody } from './dto.js';
export type { DefaultsDto, IssueDto, TenantThresholdsDto, ThresholdDto } from './dto.js';
