/** Herald's own API (`/api/herald/v1`). */
export { heraldApiRoutes } from './routes.js';
export type { HeraldApiContext } from './routes.js';
