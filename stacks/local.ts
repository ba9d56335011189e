/**
 * The `local` stack: Helium on a Kubernetes cluster (kind by default; any cluster whose kubeconfig context
 * is `helium:kubeContext`). One explicit provider bound to that context is handed to every object, so the
 * program never falls back to whatever context happens to be current. See docs/kubernetes.md.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesApp } from "../components/KubernetesApp";
import type { LocalStackConfig } from "../config/kubernetes";
import type { StackOutputs } from "./outputs";

export function localStack(config: LocalStackConfig): StackOutputs {
  const provider = new k8s.Provider("local-kubernetes", { context: config.kubeContext });
  const app = new KubernetesApp(
    "helium",
    {
      services: config.services,
      images: config.images,
      namespace: config.namespace,
      // Config secrets arrive as plain strings from the validated config; mark them secret again here.
      appSecrets: Object.fromEntries(
        Object.entries(config.appSecrets).map(([key, value]) => [key, pulumi.secret(value)]),
      ),
      ingressClassName: config.ingressClassName,
      ingressHost: config.ingressHost,
      ingressController: config.ingressController,
      redisImage: config.redisImage,
      ...(config.database !== undefined ? { database: config.database } : {}),
      runAsUser: config.runAsUser,
      installClusterAddons: config.installClusterAddons,
    },
    { providers: [provider] },
  );
  return {
    kubeContext: config.kubeContext,
    namespace: app.namespace,
    ingress: app.ingress,
    url: app.ingress.url,
    serviceNames: app.serviceNames,
    deploymentNames: app.deploymentNames,
    hpaNames: app.hpaNames,
    redisHost: app.redisHost,
    ...(app.databaseHost !== undefined ? { databaseHost: app.databaseHost } : {}),
  };
}
