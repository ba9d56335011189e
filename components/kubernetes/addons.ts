/**
 * Cluster add-ons the HPAs and the Ingress need, installed only when asked (`installClusterAddons`):
 * metrics-server and ingress-nginx, pinned and configured for kind.
 */
import * as k8s from "@pulumi/kubernetes";
import { type AppContext, childOf } from "./context";

/**
 * Cluster add-ons, pinned. helm.v3.Release (not helm.v4.Chart) because it is one plain custom resource:
 * its chart, version and values are visible to previews, policies and our mock tests, and Helm owns the
 * upgrade/rollback of the whole release.
 */
export const CLUSTER_ADDONS = {
  metricsServer: {
    chart: "metrics-server",
    version: "3.12.2",
    repo: "https://kubernetes-sigs.github.io/metrics-server/",
    namespace: "kube-system",
  },
  ingressNginx: {
    chart: "ingress-nginx",
    version: "4.14.1",
    repo: "https://kubernetes.github.io/ingress-nginx",
    namespace: "ingress-nginx",
  },
} as const;

/** Installs both add-ons; returns the ingress-nginx release, which the Ingress waits for. */
export function installClusterAddons(ctx: AppContext, ingressClassName: string): k8s.helm.v3.Release {
  const ms = CLUSTER_ADDONS.metricsServer;
  new k8s.helm.v3.Release(
    "metrics-server",
    {
      name: "metrics-server",
      chart: ms.chart,
      version: ms.version,
      repositoryOpts: { repo: ms.repo },
      namespace: ms.namespace,
      // kind's kubelets serve self-signed certificates (metrics-server's kind instructions); any other
      // cluster should set installClusterAddons false and run its own metrics-server.
      values: { args: ["--kubelet-insecure-tls"] },
      atomic: true,
    },
    childOf(ctx),
  );
  const nginx = CLUSTER_ADDONS.ingressNginx;
  return new k8s.helm.v3.Release(
    "ingress-nginx",
    {
      name: "ingress-nginx",
      chart: nginx.chart,
      version: nginx.version,
      repositoryOpts: { repo: nginx.repo },
      namespace: nginx.namespace,
      createNamespace: true,
      // ingress-nginx's kind provider, as Helm values: host ports 80/443 on the node labelled
      // ingress-ready=true (kind-cluster.yaml maps them to the host), tolerating the control-plane taint.
      values: {
        controller: {
          hostPort: { enabled: true },
          service: { type: "NodePort" },
          nodeSelector: { "ingress-ready": "true", "kubernetes.io/os": "linux" },
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
          ],
          publishService: { enabled: false },
          extraArgs: { "publish-status-address": "localhost" },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
          ingressClassResource: { name: ingressClassName, default: false },
          watchIngressWithoutClass: false,
        },
      },
      atomic: true,
    },
    childOf(ctx),
  );
}
