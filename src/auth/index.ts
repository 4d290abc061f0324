/** Credentials (issue 9): the authenticator and the pieces the CLI and config parser share. */
export type { AuthConfig, AuthRequest, AuthResult, Authenticator, Principal, Role } from './api.js';
export { DEFAULT_AUTH_CONFIG } from './api.js';
export { ANONYMOUS_PRINCIPAL, AuthSetupError, createAuthenticator, reloadableAuthenticator } from './authenticator.js';
export type { AuthenticatorDeps, HeraldAuthenticator } from './authenticator.js';
export { createFailureLimiter, FAILURE_WINDOW_MS } from './failure-limiter.js';
export type { FailureLimiter } from './failure-limiter.js';
export { fetchJwksOverHttp, JwksLoadError } from './jwks-source.js';
export { isRole } from './jwt-principal.js';
export { DEFAULT_SCRYPT_PARAMS, hashPassword, parsePasswordHash, verifyPassword } from './password-hash.js';
export type { ScryptParams } from './password-hash.js';
export { newToken, sha256Hex } from './static-tokens.js';
