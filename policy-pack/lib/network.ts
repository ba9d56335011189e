/**
 * Decides, from a stack's own resources, whether a subnet has a route to an internet gateway.
 *
 * The links between subnets, route-table associations, route tables and routes are taken from two sources,
 * so the answer is the same in a first preview (ids unknown) and in an update or under mocks (ids known):
 * - known ids in the properties (`subnetId: "subnet-…"`, `routeTableId: "rtb-…"`, `gatewayId: "igw-…"`);
 * - `propertyDependencies`, which name the URN each property was computed from.
 * An association that carries both an id and a URN teaches us that they are the same subnet (or table), so a
 * workload that knows only ids and an association that knows only URNs still meet.
 */
import { UNKNOWN, dependencyUrns, knownString, readArray, readPath, type ResourceNode } from "./values";

export const SUBNET = "aws:ec2/subnet:Subnet";
export const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
export const ROUTE = "aws:ec2/route:Route";
export const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
export const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";

export type SubnetExposure = "private" | "internet" | "unassociated";

/** Union-find over identifiers (ids and URNs) that name the same resource. */
class Aliases {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let root = key;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    this.parent.set(key, root);
    return root;
  }
  link(keys: readonly string[]): void {
    const [first, ...rest] = keys;
    if (first === undefined) return;
    for (const key of rest) {
      const a = this.find(first);
      const b = this.find(key);
      if (a !== b) this.parent.set(b, a);
    }
  }
}

/** Identifiers (known id, then dependency URNs of the given types) of the single resource a property names. */
function referenceKeys(node: ResourceNode, property: string, types: readonly string[]): string[] {
  const keys: string[] = [];
  const id = knownString(readPath(node.props, property));
  if (id !== undefined) keys.push(id);
  keys.push(...dependencyUrns(node, property, types));
  return keys;
}

function ownKeys(node: ResourceNode): string[] {
  const id = knownString(readPath(node.props, "id"));
  return id === undefined ? [node.urn] : [node.urn, id];
}

function isInternetGatewayTarget(value: unknown): boolean {
  return typeof value === "string" && value.startsWith("igw-");
}

export class SubnetRouting {
  private readonly aliases = new Aliases();
  /** Canonical subnet key → canonical route-table keys associated with it. */
  private readonly associations = new Map<string, Set<string>>();
  private readonly internetTables = new Set<string>();

  constructor(resources: readonly ResourceNode[]) {
    const pairs: Array<[string, string]> = [];
    const internetTableKeys: string[] = [];
    for (const node of resources) {
      switch (node.type) {
        case SUBNET:
        case ROUTE_TABLE:
          this.aliases.link(ownKeys(node));
          break;
        case ROUTE_TABLE_ASSOCIATION: {
          const subnetKeys = referenceKeys(node, "subnetId", [SUBNET]);
          const tableKeys = referenceKeys(node, "routeTableId", [ROUTE_TABLE]);
          this.aliases.link(subnetKeys);
          this.aliases.link(tableKeys);
          if (subnetKeys[0] !== undefined && tableKeys[0] !== undefined) pairs.push([subnetKeys[0], tableKeys[0]]);
          break;
        }
        case ROUTE: {
          const tableKeys = referenceKeys(node, "routeTableId", [ROUTE_TABLE]);
          this.aliases.link(tableKeys);
          const viaGateway =
            isInternetGatewayTarget(readPath(node.props, "gatewayId")) ||
            dependencyUrns(node, "gatewayId", [INTERNET_GATEWAY]).length > 0;
          if (viaGateway && tableKeys[0] !== undefined) internetTableKeys.push(tableKeys[0]);
          break;
        }
        default:
          break;
      }
      if (node.type === ROUTE_TABLE && hasInlineInternetRoute(node)) internetTableKeys.push(node.urn);
    }
    for (const [subnet, table] of pairs) {
      const key = this.aliases.find(subnet);
      const tables = this.associations.get(key) ?? new Set<string>();
      tables.add(table);
      this.associations.set(key, tables);
    }
    for (const key of internetTableKeys) this.internetTables.add(this.aliases.find(key));
  }

  /** `subnetKey` is a subnet id or a Subnet URN. */
  exposureOf(subnetKey: string): SubnetExposure {
    const tables = this.associations.get(this.aliases.find(subnetKey));
    if (tables === undefined || tables.size === 0) return "unassociated";
    for (const table of tables) if (this.internetTables.has(this.aliases.find(table))) return "internet";
    return "private";
  }
}

function hasInlineInternetRoute(node: ResourceNode): boolean {
  const routes = readArray(node.props, "routes");
  if (
    routes !== UNKNOWN &&
    routes !== undefined &&
    routes.some((route) => isInternetGatewayTarget(readPath(route, "gatewayId")))
  ) {
    return true;
  }
  return dependencyUrns(node, "routes", [INTERNET_GATEWAY]).length > 0;
}

/**
 * The subnets a list property names: each known id, or, when the list (or an element) is unknown, the Subnet
 * URNs it was computed from. `property` may be nested (`networkConfiguration.subnets`); dependencies are
 * recorded per top-level property.
 */
export function subnetReferences(node: ResourceNode, path: readonly string[]): string[] {
  const values = readArray(node.props, ...path);
  const ids =
    values === UNKNOWN || values === undefined
      ? []
      : values.map(knownString).filter((v): v is string => v !== undefined);
  const complete = values !== UNKNOWN && values !== undefined && ids.length === values.length;
  if (complete) return ids;
  return [...ids, ...dependencyUrns(node, path[0], [SUBNET])];
}

/** Finds the resource of one of `types` that `node.props[property]` names (by the target's `name` prop, its id, or its URN). */
export function resolveByNameOrDependency(
  node: ResourceNode,
  property: string,
  candidates: readonly ResourceNode[],
): ResourceNode | undefined {
  const urns = new Set((node.propertyDependencies[property] ?? []).map((d) => d.urn));
  const byUrn = candidates.find((c) => urns.has(c.urn));
  if (byUrn !== undefined) return byUrn;
  const value = knownString(readPath(node.props, property));
  if (value === undefined) return undefined;
  return candidates.find(
    (c) => knownString(readPath(c.props, "name")) === value || knownString(readPath(c.props, "id")) === value,
  );
}
