/**
 * NetworkPolicies of a KubernetesApp.
 */
import * as k8s from "@pulumi/kubernetes";
import { type AppContext, childOf } from "./context";
import { REDIS_PORT, type Redis } from "./redis";

/** The Kubernetes twin of the ECS chain "tasks SG → Redis SG": only Redis clients may connect. */
export function createRedisClientsPolicy(ctx: AppContext, redis: Redis, clients: readonly string[]): void {
  new k8s.networking.v1.NetworkPolicy(
    `${redis.name}-clients`,
    {
      metadata: { name: `${redis.name}-clients`, namespace: ctx.namespace, labels: redis.labels },
      spec: {
        podSelector: { matchLabels: redis.selector },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                podSelector: {
                  matchExpressions: [
                    {
                      key: "app.kubernetes.io/name",
                      operator: "In",
                      values: clients.length > 0 ? [...clients] : ["none"],
                    },
                  ],
                },
              },
            ],
            ports: [{ port: REDIS_PORT, protocol: "TCP" }],
          },
        ],
      },
    },
    childOf(ctx),
  );
}
