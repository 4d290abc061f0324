/**
 * HTTP to the Kubernetes API server on top of @kubernetes/client-node's request machinery: the
 * client's `KubeConfig` supplies the server URL, TLS material, the proxy agent and the credentials
 * (token files, exec plugins, client certificates), and this module sends plain requests and
 * newline-delimited watch streams with node:http(s). We use our own stream reader rather than the
 * client's `Watch` so that the caller sees the HTTP status of a failed watch (410 vs 5xx) and owns
 * the abort.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/** What the watchers need from the API server. Throws only for transport errors and aborts. */
export interface KubeTransport {
  request(method: 'GET' | 'POST' | 'PATCH', path: string, body?: { readonly contentType: string; readonly text: string }, signal?: AbortSignal): Promise<KubeResponse>;
  /**
   * Opens a watch stream and calls `onLine` for every line. Resolves when the server ends the
   * stream (`status` 200) or answers with another status (then `body` is its answer); rejects on
   * transport errors, a dropped connection, or when `signal` aborts.
   */
  watch(path: string, onLine: (line: string) => void, signal: AbortSignal): Promise<KubeResponse>;
}

/** Per-request limit for non-watch calls; watches are long-lived and ended by the server. */
const REQUEST_TIMEOUT_MS = 60_000;

export function createKubeTransport(kubeconfig: KubeConfig): KubeTransport {
  const cluster = kubeconfig.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig: no current cluster (set current-context, or load in-cluster config)');
  const server = cluster.server.replace(/\/+$/, '');
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new Error(`kubeconfig: cluster "${cluster.name}" has an invalid server URL ${JSON.stringify(cluster.server)}`);
  }
  const client = base.protocol === 'http:' ? http : https;

  async function open(method: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<http.ClientRequest> {
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', ...headers } };
    await kubeconfig.applyToHTTPSOptions(opts);
    if (signal) opts.signal = signal;
    return client.request(new URL(server + path), opts);
  }

  return {
    async request(method, path, body, signal) {
      const headers: Record<string, string> = {};
      if (body) {
        headers['Content-Type'] = body.contentType;
        headers['Content-Length'] = String(Buffer.byteLength(body.text));
      }
      const req = await open(method, path, headers, signal);
      return new Promise<KubeResponse>((resolve, reject) => {
        req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('aborted', () => reject(new Error(`${method} ${path}: connection dropped`)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.end(body?.text);
      });
    },

    async watch(path, onLine, signal) {
      const req = await open('GET', path, {}, signal);
      return new Promise<KubeResponse>((resolve, reject) => {
        req.on('error', reject);
        req.on('socket', (s) => s.setKeepAlive(true, 30_000));
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
            return;
          }
          let failed = false;
          const fail = (err: Error): void => {
            failed = true;
            reject(err);
          };
          res.on('aborted', () => fail(new Error(`watch ${path}: connection dropped`)));
          res.on('error', fail);
          const lines = createInterface({ input: res, crlfDelay: Infinity });
          // readline re-emits the stream's errors; they are handled above.
          lines.on('error', () => undefined);
          lines.on('line', (line) => {
            if (line.trim() !== '') onLine(line);
          });
          lines.on('close', () => {
            if (failed) return;
            // A chunked stream cut before its terminating chunk is a drop, not a clean end.
            if (!res.complete) fail(new Error(`watch ${path}: connection dropped`));
            else resolve({ status: 200, body: '' });
          });
        });
        req.end();
      });
    },
  };
}
