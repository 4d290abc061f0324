/** Prometheus remote_write 1.0 ingestion: decoding, validation, limits and the push pipeline. */
export { RemoteWriteIngester } from './ingest.js';
export type { PushOutcome, RemoteWriteOptions } from './ingest.js';
export { DEFAULT_INGEST_LIMITS } from './limits.js';
export type { IngestLimits, NameValidationScheme } from './limits.js';
export { NOOP_INGEST_METRICS } from './metrics.js';
export type { IngestMetrics, IngestRejectReason } from './metrics.js';
export { encodeWriteRequest, snappyEncode, snappyMaxEncodedLength } from './encode.js';
export type { EncodableSeries } from './encode.js';
export { decodeWriteRequest } from './protobuf.js';
export type { DecodedSeries, DecodedWriteRequest } from './protobuf.js';
export { IngestionRateLimiter } from './rate-limiter.js';
export { DEFAULT_MAX_DECODED_BYTES, snappyDecode } from './snappy.js';
export { validateSeries } from './validate.js';
