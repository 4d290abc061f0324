/** The built UI, served from web/dist (issue 10). */
export { assetContentType, DEFAULT_UI_DIRECTORY, uiStaticRoutes } from './static.js';
export type { UiStaticOptions } from './static.js';
