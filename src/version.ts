/** Herald's build information, reported by `herald --version` and GET /api/v2/status. */
export const VERSION = '0.1.0';

/** Mirrors Alertmanager's versionInfo (prometheus/common/version); Go-only fields carry Node's. */
export interface VersionInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** The version info of this process. `runtime` is the Node.js version string (`v20.x`). */
export function versionInfo(runtime: string): VersionInfo {
  return { version: VERSION, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: `node${runtime}` };
}
