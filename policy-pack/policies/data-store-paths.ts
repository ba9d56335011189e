/**
 * Per-service network paths to data stores: a data store is reachable only from the services that declare
 * it. The program states both sides as tags (components/region/SecurityGroups.ts):
 * - a data store's security group carries `helium:data-store: <store>` (`cache`, `database`);
 * - a service's group carries `helium:service: <name>` and `helium:consumes: <store>,<store>`.
 * Every ingress rule into a data-store group must come from a service group whose `helium:consumes` lists
 * that store; an address range, a prefix list, the group itself, or any other group is a finding.
 *
 * Rules and groups are linked by property dependencies first (recorded at registration, so this runs at a
 * first preview when every group id is unknown), then by known ids.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { UNKNOWN, dependencyUrns, isSet, knownString, readArray, readPath, type ResourceNode } from "../lib/values";
import { SECURITY_GROUP, SG_INGRESS_RULE, SG_RULE } from "./private-networking";

export const DATA_STORE_TAG = "helium:data-store";
export const SERVICE_TAG = "helium:service";
export const CONSUMES_TAG = "helium:consumes";

/** One way into a data-store group: from a group (by its keys), or from something that is not a group. */
interface Ingress {
  readonly rule: string;
  readonly target: ResourceNode;
  /** Keys (URN and/or id) of the source group; empty when the source is not a group. */
  readonly sourceKeys: readonly string[];
  /** What the source is when it is not a group, e.g. "address range 10.0.0.0/16". */
  readonly other?: string;
}

function tag(node: ResourceNode, key: string): string | undefined {
  const value = readPath(node.props, "tags", key);
  return typeof value === "string" ? value : undefined;
}

/** Security groups by each of their keys: URN, and id when known. */
function groupIndex(groups: readonly ResourceNode[]): Map<string, ResourceNode> {
  const index = new Map<string, ResourceNode>();
  for (const group of groups) {
    index.set(group.urn, group);
    const id = knownString(readPath(group.props, "id"));
    if (id !== undefined) index.set(id, group);
  }
  return index;
}

/** Keys of the group a single-group property names: dependency URNs, then the known id. */
function referenceKeys(node: ResourceNode, property: string): string[] {
  const id = knownString(readPath(node.props, property));
  return [...dependencyUrns(node, property, [SECURITY_GROUP]), ...(id === undefined ? [] : [id])];
}

function textOfSource(value: unknown): string {
  return value === UNKNOWN ? "(not known during this preview)" : String(value);
}

/** Non-group sources a rule names: CIDRs and prefix lists. */
function addressSources(node: ResourceNode, fields: readonly string[], listFields: readonly string[]): string[] {
  const found: string[] = [];
  for (const field of fields)
    if (isSet(node.props, field)) found.push(`${field} ${textOfSource(readPath(node.props, field))}`);
  for (const field of listFields) {
    const list = readArray(node.props, field);
    if (list === UNKNOWN) found.push(`${field} (not known during this preview)`);
    else for (const value of list ?? []) found.push(`${field} ${textOfSource(value)}`);
  }
  return found;
}

function ingressesInto(nodes: readonly ResourceNode[], groups: Map<string, ResourceNode>): Ingress[] {
  const found: Ingress[] = [];
  const dataStore = (keys: readonly string[]) =>
    keys.map((k) => groups.get(k)).find((g) => g !== undefined && tag(g, DATA_STORE_TAG) !== undefined);
  for (const node of nodes) {
    if (node.type === SG_INGRESS_RULE || (node.type === SG_RULE && readPath(node.props, "type") === "ingress")) {
      const target = dataStore(referenceKeys(node, "securityGroupId"));
      if (target === undefined) continue;
      const sourceProperty = node.type === SG_INGRESS_RULE ? "referencedSecurityGroupId" : "sourceSecurityGroupId";
      const others =
        node.type === SG_INGRESS_RULE
          ? addressSources(node, ["cidrIpv4", "cidrIpv6", "prefixListId"], [])
          : addressSources(node, [], ["cidrBlocks", "ipv6CidrBlocks", "prefixListIds"]);
      if (node.type === SG_RULE && readPath(node.props, "self") === true) others.push("the group itself (self)");
      for (const other of others) found.push({ rule: node.urn, target, sourceKeys: [], other });
      if (isSet(node.props, sourceProperty) || dependencyUrns(node, sourceProperty, [SECURITY_GROUP]).length > 0)
        found.push({ rule: node.urn, target, sourceKeys: referenceKeys(node, sourceProperty) });
    }
    if (node.type === SECURITY_GROUP && tag(node, DATA_STORE_TAG) !== undefined) {
      const inline = readArray(node.props, "ingress");
      for (const rule of Array.isArray(inline) ? inline : []) {
        const holder = { ...node, props: rule as Record<string, unknown> };
        for (const other of addressSources(holder, [], ["cidrBlocks", "ipv6CidrBlocks", "prefixListIds"]))
          found.push({ rule: node.urn, target: node, sourceKeys: [], other });
        if (readPath(rule, "self") === true)
          found.push({ rule: node.urn, target: node, sourceKeys: [], other: "the group itself (self)" });
        const sources = readArray(rule, "securityGroups");
        for (const id of Array.isArray(sources) ? sources : [])
          found.push({ rule: node.urn, target: node, sourceKeys: typeof id === "string" ? [id] : [] });
      }
    }
  }
  return found;
}

export const dataStoreDeclaredConsumers: StackValidationPolicy = stackPolicy({
  name: "helium-data-store-declared-consumers",
  description: `Ingress into a data store's security group (tagged ${DATA_STORE_TAG}) comes only from the groups of services (${SERVICE_TAG}) whose ${CONSUMES_TAG} lists that store.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare the store in the service's `consumes` (config/services.ts) so RegionSecurityGroups opens the path, or remove the rule.",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    const groups = groupIndex(nodes.filter((n) => n.type === SECURITY_GROUP));
    for (const ingress of ingressesInto(nodes, groups)) {
      const store = tag(ingress.target, DATA_STORE_TAG) as string;
      const into = `ingress into ${ingress.target.name} (${DATA_STORE_TAG}: ${store})`;
      if (ingress.other !== undefined) {
        report(
          ingress.rule,
          `${into} from ${ingress.other}: only the groups of services that declare ${store} may reach it`,
        );
        continue;
      }
      const source = ingress.sourceKeys.map((k) => groups.get(k)).find((g) => g !== undefined);
      if (source === undefined) {
        report(ingress.rule, `${into} from a security group this stack does not hold, so its service cannot be known`);
        continue;
      }
      const service = tag(source, SERVICE_TAG);
      const consumes = (tag(source, CONSUMES_TAG) ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (service === undefined)
        report(ingress.rule, `${into} from ${source.name}, which is not a service's group (no ${SERVICE_TAG} tag)`);
      else if (!consumes.includes(store))
        report(
          ingress.rule,
          `${into} from service ${service} (${source.name}), which does not declare ${store} (${CONSUMES_TAG}: "${consumes.join(",")}")`,
        );
    }
  },
});
