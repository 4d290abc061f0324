/**
 * Herald's own scrape loop: a Prometheus `scrape_configs` subset whose jobs write into a tenant's
 * embedded TSDB. The app loads the file with loadScrapeConfig, then runs one ScrapeManager.
 */
export { loadScrapeConfig } from './config.js';
export type { FileSdConfig, ScrapeConfig, ScrapeJob, TargetGroup } from './config.js';
export { formatOf, parseExposition } from './exposition.js';
export type { ExpositionFormat, ParsedSample } from './exposition.js';
export { expandTemplate, newRelabelRule, relabel, RELABEL_ACTIONS } from '../../core/relabel.js';
export type { RawRelabelRule, RelabelAction, RelabelRule } from '../../core/relabel.js';
export { SCRAPE_ACCEPT, ScrapeLoop, scrapeFetchFrom, withTargetLabels } from './scrape-loop.js';
export type { FetchLikeResponse, ScrapeFetch, ScrapeLoopDeps } from './scrape-loop.js';
export { ScrapeManager, targetOffset } from './scrape-manager.js';
export type { ScrapeManagerOptions } from './scrape-manager.js';
export { groupTargets, parseTargetGroupFile } from './targets.js';
export type { GroupTargets, ScrapeTarget } from './targets.js';
