/**
 * The client configuration of a cluster source, as kubectl and client-go pick it: the `kubeconfig`
 * file Herald's config names; else the in-cluster ServiceAccount (token and CA mounted by the
 * kubelet) when KUBERNETES_SERVICE_HOST is set; else the default kubeconfig (KUBECONFIG, then
 * ~/.kube/config). @kubernetes/client-node is loaded only when a cluster is watched.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeSourceSettings } from '../tenancy/index.js';

type KubernetesSettings = Extract<KubeSourceSettings, { type: 'kubernetes' }>;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Loads the client configuration; throws with a message saying which one failed and why. */
export async function loadKubeconfig(settings: KubernetesSettings, env: Readonly<Record<string, string | undefined>> = process.env): Promise<KubeConfig> {
  const { KubeConfig: Client } = await import('@kubernetes/client-node');
  const kc = new Client();
  if (settings.kubeconfig !== undefined) {
    try {
      kc.loadFromFile(settings.kubeconfig);
    } catch (e) {
      throw new Error(`kubeconfig ${JSON.stringify(settings.kubeconfig)} does not load: ${errorText(e)}`);
    }
  } else if (env['KUBERNETES_SERVICE_HOST']) {
    try {
      kc.loadFromCluster();
    } catch (e) {
      throw new Error(`the in-cluster ServiceAccount configuration does not load: ${errorText(e)}`);
    }
  } else {
    try {
      kc.loadFromDefault();
    } catch (e) {
      throw new Error(`the default kubeconfig does not load (set kube.kubernetes.kubeconfig): ${errorText(e)}`);
    }
  }
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig has no current cluster (set current-context)');
  return kc;
}
