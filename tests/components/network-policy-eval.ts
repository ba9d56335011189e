/**
 * Decides whether a connection is allowed by a set of networking.k8s.io/v1 NetworkPolicies, so tests can
 * prove which paths the rendered policies open instead of only asserting their shape. Semantics from
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/:
 * - A pod is isolated for ingress (egress) when a policy of its namespace selects it and lists Ingress
 *   (Egress) in policyTypes; without policyTypes, a policy is Ingress, plus Egress when it has egress rules.
 * - A connection needs the sender's egress AND the receiver's ingress to allow it. An isolated side allows
 *   what at least one rule of a selecting policy allows; a side that is not isolated allows everything.
 * - A rule without from/to matches every peer; a rule without ports matches every port. A peer with only
 *   podSelector means pods of the policy's namespace; only namespaceSelector, every pod of matching
 *   namespaces; both in one peer, pods matching both.
 * - ipBlock is matched against any address, pod addresses included (what a CNI does with pod IPs is
 *   implementation-defined; matching them is the stricter reading for "denied" claims).
 * Replies of allowed connections, and traffic from a pod's own node (kubelet probes), are always allowed and
 * not modelled. Named ports are not supported: a policy using one makes the evaluator throw.
 */
import { parseCidr } from "../../lib/cidr";

type Labels = Readonly<Record<string, string>>;

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
}

/** An address outside the cluster. */
export interface External {
  readonly name: string;
  readonly ip: string;
}

export type Endpoint = Pod | External;

export interface Policy {
  readonly namespace: string;
  /** The NetworkPolicy's spec, as rendered. */
  readonly spec: PolicySpec;
}

interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}
interface Selector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly Requirement[];
}
interface Peer {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
interface PortRule {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}
interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: readonly PortRule[];
}
export interface PolicySpec {
  readonly podSelector: Selector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly Rule[];
  readonly egress?: readonly Rule[];
}

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** Defaults to TCP. */
  readonly protocol?: "TCP" | "UDP";
}

function isPod(endpoint: Endpoint): endpoint is Pod {
  return "namespace" in endpoint;
}

export function selectorMatches(selector: Selector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const inValues = has && (r.values ?? []).includes(labels[r.key]);
    const ok =
      r.operator === "In"
        ? inValues
        : r.operator === "NotIn"
          ? !inValues
          : r.operator === "Exists"
            ? has
            : r.operator === "DoesNotExist"
              ? !has
              : (() => {
                  throw new Error(`unknown selector operator ${String(r.operator)}`);
                })();
    if (!ok) return false;
  }
  return true;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const block = parseCidr(cidr);
  const address = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - block.prefixLength);
  return address >= block.network && address < block.network + size;
}

export class Cluster {
  /** Namespace name → its labels (the automatic `kubernetes.io/metadata.name` label is added). */
  private readonly namespaceLabels = new Map<string, Labels>();

  constructor(
    namespaces: Readonly<Record<string, Labels>>,
    private readonly policies: readonly Policy[],
  ) {
    for (const [name, labels] of Object.entries(namespaces))
      this.namespaceLabels.set(name, { ...labels, "kubernetes.io/metadata.name": name });
  }

  private labelsOfNamespace(name: string): Labels {
    const labels = this.namespaceLabels.get(name);
    if (labels === undefined) throw new Error(`namespace ${name} is not part of the test cluster`);
    return labels;
  }

  private peerMatches(peer: Peer, policyNamespace: string, endpoint: Endpoint): boolean {
    if (peer.ipBlock !== undefined) {
      return (
        ipInCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => ipInCidr(endpoint.ip, c))
      );
    }
    if (!isPod(endpoint)) return false; // pod and namespace selectors select pods only
    const namespaceOk =
      peer.namespaceSelector === undefined
        ? endpoint.namespace === policyNamespace
        : selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(endpoint.namespace));
    return namespaceOk && (peer.podSelector === undefined || selectorMatches(peer.podSelector, endpoint.labels));
  }

  private static portMatches(rule: Rule, port: number, protocol: string): boolean {
    if (rule.ports === undefined || rule.ports.length === 0) return true;
    return rule.ports.some((p) => {
      if (typeof p.port === "string") throw new Error(`named port ${p.port} is not supported by the evaluator`);
      if ((p.protocol ?? "TCP") !== protocol) return false;
      if (p.port === undefined) return true;
      return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
    });
  }

  private static types(spec: PolicySpec): readonly string[] {
    return spec.policyTypes ?? (spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"]);
  }

  /** Whether `pod`'s side allows the connection in `direction` with `peer`. */
  private sideAllows(direction: "Ingress" | "Egress", pod: Pod, peer: Endpoint, port: number, protocol: string) {
    const selecting = this.policies.filter(
      (p) =>
        p.namespace === pod.namespace &&
        Cluster.types(p.spec).includes(direction) &&
        selectorMatches(p.spec.podSelector, pod.labels),
    );
    if (selecting.length === 0) return true; // not isolated in this direction
    return selecting.some((p) =>
      ((direction === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
        const peers = direction === "Ingress" ? rule.from : rule.to;
        const peerOk =
          peers === undefined || peers.length === 0 || peers.some((x) => this.peerMatches(x, p.namespace, peer));
        return peerOk && Cluster.portMatches(rule, port, protocol);
      }),
    );
  }

  allows(connection: Connection): boolean {
    const { from, to, port } = connection;
    const protocol = connection.protocol ?? "TCP";
    const egressOk = !isPod(from) || this.sideAllows("Egress", from, to, port, protocol);
    const ingressOk = !isPod(to) || this.sideAllows("Ingress", to, from, port, protocol);
    return egressOk && ingressOk;
  }
}
