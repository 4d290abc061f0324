/**
 * The PromQL module's public entry: parse a query, evaluate it over a SeriesSource, read the
 * result. Other modules (ruler, query API, thresholds) import from here only.
 */
export { PromQLParseError, PromQLQueryError } from './api.js';
export type { QueryErrorType, QueryLimits, QueryOptions, QueryResult } from './api.js';
export type { Expr, ValueType } from './ast.js';
export { childExprs, exprType, mapChildExprs, walkExpr } from './ast.js';
export type { Annotation, Matrix, QueryValue, Sample, Scalar, SelectHints, Series, SeriesSource, StoredSeries, StringValue, Vector } from './value.js';
export { formatParseError, parseExpr } from './parser/index.js';
export type { ParseOptions, ParseResult } from './parser/index.js';
export { instantQuery, rangeQuery } from './engine/index.js';
export { printExpr } from './printer.js';
export { MemorySeriesSource } from './memory-source.js';
export { checkRangeResolution, createEngine, DEFAULT_MAX_POINTS_PER_SERIES } from './engine/index.js';
export type { Engine, EngineFeatures } from './engine/index.js';
export { formatFloatF } from './engine/format.js';
export { parseMetricSelector } from './parser/index.js';
