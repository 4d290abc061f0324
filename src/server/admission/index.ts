/** The admission webhook for AlertmanagerConfig objects (AdmissionReview v1). */
export { ADMISSION_PATH, admissionRoutes, parseAdmissionReview, reviewAlertmanagerConfig } from './routes.js';
export type { AdmissionOptions, AdmissionVerdict } from './routes.js';
