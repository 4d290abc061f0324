/** Silences of one tenant's Alertmanager: storage, validation, querying and muting. */
export { Silences, canUpdate } from './silences.js';
export type { SilenceLimits, SilencesOptions } from './silences.js';
export { validateSilence } from './validate.js';
export { apiSilenceState, compareSilenceViews, silenceMatchesFilter, silenceState } from './state.js';
export { encodeSilence, decodeSilence } from './codec.js';
export type { Silence, SilenceInput, SilenceState } from './types.js';
