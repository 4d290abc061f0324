/** Inhibition engine of one tenant's Alertmanager. */
export { Inhibitor } from './inhibitor.js';
