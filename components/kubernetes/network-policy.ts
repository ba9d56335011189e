/**
 * NetworkPolicies: every pod in the namespace is denied all ingress and egress, then each path the
 * declarations name is opened at both ends (the sender's egress and the receiver's ingress):
 * - the ingress controller → each routed service, on its container port;
 * - a service → what it lists in `consumes` (an in-cluster store such as Redis, or another
 *   service), on that peer's port; a store accepts only its consumers;
 * - every service → the cluster DNS on 53/UDP and 53/TCP;
 * - a service → each CIDR and port it lists in `kubernetes.egress`.
 * The Kubernetes twin of the ECS chain "ALB SG → tasks SG → Redis SG". Kubelet probes need no rule: traffic
 * from a pod's own node is always allowed.
 */
import * as k8s from "@pulumi/kubernetes";
import { CLUSTER_DNS, type KubernetesEgressSpec, type PodsInNamespace } from "../../lib/kubernetes";
import { type AppContext, type Labels, childOf } from "./context";

type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type NetworkPolicyPort = k8s.types.input.networking.v1.NetworkPolicyPort;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Pods of the app that accept connections on one port: a service with a port, or a store. */
export interface Endpoint {
  /** Object name, the value of the pods' `app.kubernetes.io/name` label (`helium-backend`). */
  readonly name: string;
  readonly selector: Labels;
  /** Labels on the endpoint's policy. */
  readonly labels: Labels;
  /** Container port (a NetworkPolicy port is the pod's port, not the Service's). */
  readonly port: number | undefined;
}

export interface PolicyService extends Endpoint {
  /** Whether the Ingress routes to it: then the ingress controller may connect. */
  readonly routed: boolean;
  /** Names of the stores and services it connects to (`consumes`). */
  readonly consumes: readonly string[];
  /** Destinations outside the cluster (`kubernetes.egress`). */
  readonly egress: readonly KubernetesEgressSpec[];
}

export interface NetworkPolicyArgs {
  /** The enabled services, by service name. */
  readonly services: Readonly<Record<string, PolicyService>>;
  /** The in-cluster stores, by the name services consume them under (`cache`: the in-cluster Redis). */
  readonly stores: Readonly<Record<string, Endpoint & { readonly port: number }>>;
  /** Pods allowed to reach the routed services. */
  readonly ingressController: PodsInNamespace;
}

function tcp(port: number): NetworkPolicyPort {
  return { port, protocol: "TCP" };
}

/** Pods in another namespace: both selectors in ONE peer, so a pod must match both (two peers would OR them). */
function podsIn(pods: PodsInNamespace): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": pods.namespace } },
    podSelector: { matchLabels: { ...pods.podLabels } },
  };
}

/** The given apps' pods in the policy's own namespace. */
function appsNamed(ctx: AppContext, names: readonly string[]): NetworkPolicyPeer {
  return {
    podSelector: {
      matchLabels: { "app.kubernetes.io/part-of": ctx.prefix },
      matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [...names] }],
    },
  };
}

/** Ingress of one endpoint: from each name consuming it. No consumers: no rule, so nothing in the namespace gets in. */
function fromConsumers(ctx: AppContext, target: string, port: number, args: NetworkPolicyArgs): IngressRule[] {
  const consumers = Object.values(args.services)
    .filter((s) => s.consumes.includes(target))
    .map((s) => s.name);
  return consumers.length === 0 ? [] : [{ from: [appsNamed(ctx, consumers)], ports: [tcp(port)] }];
}

function serviceIngress(ctx: AppContext, svc: string, service: PolicyService, args: NetworkPolicyArgs): IngressRule[] {
  if (service.port === undefined) return [];
  const rules: IngressRule[] = [];
  if (service.routed) rules.push({ from: [podsIn(args.ingressController)], ports: [tcp(service.port)] });
  rules.push(...fromConsumers(ctx, svc, service.port, args));
  return rules;
}

function serviceEgress(service: PolicyService, args: NetworkPolicyArgs): EgressRule[] {
  const rules: EgressRule[] = [
    {
      to: [podsIn(CLUSTER_DNS)],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    },
  ];
  for (const target of service.consumes) {
    const peer: Endpoint | undefined = Object.hasOwn(args.stores, target) ? args.stores[target] : args.services[target];
    // kubernetesIssues rejects anything else before a resource is registered; this guards a direct caller.
    if (peer?.port === undefined)
      throw new Error(`"${target}" is neither an in-cluster store nor a service with a port`);
    rules.push({ to: [{ podSelector: { matchLabels: { ...peer.selector } } }], ports: [tcp(peer.port)] });
  }
  for (const rule of service.egress) {
    rules.push({
      to: [{ ipBlock: { cidr: rule.cidr } }],
      ports: rule.ports.map((port) => ({ port, protocol: rule.protocol })),
    });
  }
  return rules;
}

export function createNetworkPolicies(ctx: AppContext, args: NetworkPolicyArgs): void {
  const namespace = ctx.namespace;
  // An empty podSelector selects every pod in the namespace, including any added by hand later.
  new k8s.networking.v1.NetworkPolicy(
    `${ctx.prefix}-default-deny`,
    {
      metadata: { name: `${ctx.prefix}-default-deny`, namespace, labels: { ...ctx.partOf } },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    childOf(ctx),
  );

  for (const [svc, service] of Object.entries(args.services)) {
    new k8s.networking.v1.NetworkPolicy(
      `${service.name}-network`,
      {
        metadata: { name: `${service.name}-network`, namespace, labels: service.labels },
        spec: {
          podSelector: { matchLabels: { ...service.selector } },
          policyTypes: ["Ingress", "Egress"],
          ingress: serviceIngress(ctx, svc, service, args),
          egress: serviceEgress(service, args),
        },
      },
      childOf(ctx),
    );
  }

  // Stores only accept; their egress stays denied by the default policy.
  for (const [storeName, store] of Object.entries(args.stores)) {
    new k8s.networking.v1.NetworkPolicy(
      `${store.name}-clients`,
      {
        metadata: { name: `${store.name}-clients`, namespace, labels: store.labels },
        spec: {
          podSelector: { matchLabels: { ...store.selector } },
          policyTypes: ["Ingress"],
          ingress: fromConsumers(ctx, storeName, store.port, args),
        },
      },
      childOf(ctx),
    );
  }
}
