/**
 * Private networking: workloads and data stores only in subnets with no route to an internet gateway, no
 * public IPs, public ingress only on 80/443 of the load balancer that is explicitly the public edge, and in the
 * API Gateway entry no internet-facing load balancer at all.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { SubnetRouting, resolveByNameOrDependency, subnetReferences } from "../lib/network";
import { UNKNOWN, dependencyUrns, knownString, readArray, readPath, type ResourceNode } from "../lib/values";

export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
export const CACHE_SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
export const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** The tag by which a load balancer states that it is the public edge. */
export const EXPOSURE_TAG = "helium:exposure";
export const PUBLIC_EDGE = "public-edge";
export const PUBLIC_INGRESS_PORTS: readonly number[] = [80, 443];

const asNodes = (resources: readonly PolicyResource[]): ResourceNode[] => resources as unknown as ResourceNode[];

/** Describes subnets that are not provably private, or undefined when all are. */
function nonPrivateSubnets(routing: SubnetRouting, subnets: readonly string[]): string | undefined {
  const problems: string[] = [];
  for (const subnet of subnets) {
    const exposure = routing.exposureOf(subnet);
    if (exposure === "internet") problems.push(`${subnet} (routes to an internet gateway)`);
    if (exposure === "unassociated")
      problems.push(`${subnet} (no route table association in this stack, so it cannot be shown to be private)`);
  }
  return problems.length === 0 ? undefined : problems.join(", ");
}

export const ecsPrivateNetworking: StackValidationPolicy = stackPolicy({
  name: "helium-ecs-private-networking",
  description:
    "ECS services use awsvpc networking, get no public IP and run only in subnets with no route to an internet gateway.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Place the service in the private (app) subnets, set assignPublicIp to false, and reach the internet through NAT or VPC endpoints.",
  validate: (args, report) => {
    const nodes = asNodes(args.resources);
    const routing = new SubnetRouting(nodes);
    const taskDefinitions = nodes.filter((n) => n.type === ECS_TASK_DEFINITION);
    for (const service of nodes.filter((n) => n.type === ECS_SERVICE)) {
      const network = readPath(service.props, "networkConfiguration");
      if (network === undefined || network === null) {
        report(service.urn, "the service has no networkConfiguration: use awsvpc networking with private subnets");
        continue;
      }
      if (readPath(network, "assignPublicIp") === true)
        report(service.urn, "networkConfiguration.assignPublicIp is true: tasks must not get a public IP");
      const subnets = subnetReferences(service, ["networkConfiguration", "subnets"]);
      if (subnets.length === 0)
        report(service.urn, "networkConfiguration.subnets names no subnet this stack can resolve");
      const problems = nonPrivateSubnets(routing, subnets);
      if (problems !== undefined) report(service.urn, `the service runs in subnets that are not private: ${problems}`);
      const taskDefinition = resolveByNameOrDependency(service, "taskDefinition", taskDefinitions);
      const mode = taskDefinition === undefined ? undefined : readPath(taskDefinition.props, "networkMode");
      if (taskDefinition !== undefined && mode !== UNKNOWN && mode !== "awsvpc") {
        report(
          service.urn,
          `task definition ${taskDefinition.name} uses networkMode ${String(mode)}; only awsvpc is allowed`,
        );
      }
    }
  },
});

export const dataStoresPrivateSubnets: StackValidationPolicy = stackPolicy({
  name: "helium-data-private-subnets",
  description: "ElastiCache and RDS sit only in subnet groups whose subnets have no route to an internet gateway.",
  enforcementLevel: "mandatory",
  remediationSteps: "Give the cache or database a subnet group made of the data (or private) subnets.",
  validate: (args, report) => {
    const nodes = asNodes(args.resources);
    const routing = new SubnetRouting(nodes);
    const checks: Array<{ types: string[]; property: string; groupType: string }> = [
      { types: [REPLICATION_GROUP, CACHE_CLUSTER], property: "subnetGroupName", groupType: CACHE_SUBNET_GROUP },
      { types: [RDS_INSTANCE, RDS_CLUSTER], property: "dbSubnetGroupName", groupType: RDS_SUBNET_GROUP },
    ];
    for (const check of checks) {
      const groups = nodes.filter((n) => n.type === check.groupType);
      for (const store of nodes.filter((n) => check.types.includes(n.type))) {
        // A cache cluster that joins a replication group inherits the group's placement.
        if (store.type === CACHE_CLUSTER && readPath(store.props, "replicationGroupId") !== undefined) continue;
        if (readPath(store.props, check.property) === undefined) {
          report(
            store.urn,
            `${check.property} is not set, so AWS would use the default VPC's subnets; name a subnet group of private subnets`,
          );
          continue;
        }
        const group = resolveByNameOrDependency(store, check.property, groups);
        if (group === undefined) {
          report(
            store.urn,
            `${check.property} names a subnet group that is not in this stack, so its subnets cannot be shown to be private`,
          );
          continue;
        }
        const problems = nonPrivateSubnets(routing, subnetReferences(group, ["subnetIds"]));
        if (problems !== undefined)
          report(store.urn, `subnet group ${group.name} holds subnets that are not private: ${problems}`);
      }
    }
  },
});

export const rdsNotPublic: ResourceValidationPolicy = resourcePolicy({
  name: "helium-rds-not-public",
  description: "RDS instances are never publicly accessible.",
  enforcementLevel: "mandatory",
  resourceTypes: [RDS_INSTANCE, "aws:rds/clusterInstance:ClusterInstance"],
  validate: (args, report) => {
    if (args.props["publiclyAccessible"] === true)
      report("publiclyAccessible is true: databases must not be reachable from the internet");
  },
});

function tagsOf(node: { props: Record<string, unknown> }): Record<string, unknown> {
  const tags = readPath(node.props, "tags");
  return typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>) : {};
}

/** Internet-facing (`internal` is not true; AWS's default is internet-facing). */
function isInternetFacing(props: Record<string, unknown>): boolean {
  return readPath(props, "internal") !== true;
}

export const loadBalancerInternalUnlessEdge: ResourceValidationPolicy = resourcePolicy({
  name: "helium-lb-internal-unless-public-edge",
  description: `Load balancers are internal unless tagged "${EXPOSURE_TAG}": "${PUBLIC_EDGE}" as the explicit public edge.`,
  enforcementLevel: "mandatory",
  resourceTypes: [LOAD_BALANCER],
  validate: (args, report) => {
    if (isInternetFacing(args.props) && readPath(tagsOf(args), EXPOSURE_TAG) !== PUBLIC_EDGE) {
      report(
        `the load balancer is internet-facing (internal is not true) but is not tagged "${EXPOSURE_TAG}": "${PUBLIC_EDGE}"; set internal: true or tag it as the public edge`,
      );
    }
  },
});

export const VPC_LINK = "aws:apigatewayv2/vpcLink:VpcLink";
/** The tag by which a load balancer states that API Gateway is its environment's entry. */
export const ENTRY_TAG = "helium:entry";
export const API_GATEWAY_ENTRY = "apiGateway";

export const loadBalancersInternalBehindApiGateway: StackValidationPolicy = stackPolicy({
  name: "helium-lb-internal-behind-api-gateway",
  description: `In the API Gateway entry (the stack has an API Gateway VPC link, or a load balancer tagged "${ENTRY_TAG}": "${API_GATEWAY_ENTRY}"), every load balancer is internal: the HTTP API is the only public way in.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set internal: true and place the load balancer in the private subnets; public traffic enters through the HTTP API and its VPC link.",
  validate: (args, report) => {
    const nodes = asNodes(args.resources);
    const balancers = nodes.filter((n) => n.type === LOAD_BALANCER);
    const links = nodes.filter((n) => n.type === VPC_LINK);
    const tagged = balancers.filter((lb) => readPath(tagsOf(lb), ENTRY_TAG) === API_GATEWAY_ENTRY);
    if (links.length === 0 && tagged.length === 0) return;
    const why =
      links.length > 0
        ? `the stack has an API Gateway VPC link (${links[0].name})`
        : `load balancer ${tagged[0].name} is tagged "${ENTRY_TAG}": "${API_GATEWAY_ENTRY}"`;
    for (const lb of balancers.filter((n) => isInternetFacing(n.props))) {
      report(
        lb.urn,
        `${why}, so API Gateway is the entry and every load balancer must be internal; ${lb.name} is internet-facing (internal is not true), a second way in that bypasses the HTTP API's throttling, authoriser and logs`,
      );
    }
  },
});

interface OpenIngress {
  readonly urn: string;
  readonly cidr: string;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  /** Keys (id and/or URN) of the security group the rule belongs to. */
  readonly groupKeys: readonly string[];
}

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

function openIngressRules(nodes: readonly ResourceNode[]): OpenIngress[] {
  const found: OpenIngress[] = [];
  const groupKeysOf = (node: ResourceNode, property: string): string[] => {
    const id = knownString(readPath(node.props, property));
    return [...(id === undefined ? [] : [id]), ...dependencyUrns(node, property, [SECURITY_GROUP])];
  };
  for (const node of nodes) {
    if (node.type === SG_INGRESS_RULE) {
      for (const field of ["cidrIpv4", "cidrIpv6"]) {
        const cidr = readPath(node.props, field);
        if (typeof cidr === "string" && OPEN_CIDRS.includes(cidr)) {
          found.push({
            urn: node.urn,
            cidr,
            protocol: readPath(node.props, "ipProtocol"),
            fromPort: readPath(node.props, "fromPort"),
            toPort: readPath(node.props, "toPort"),
            groupKeys: groupKeysOf(node, "securityGroupId"),
          });
        }
      }
    }
    if (node.type === SG_RULE && readPath(node.props, "type") === "ingress") {
      const cidrs = [readArray(node.props, "cidrBlocks"), readArray(node.props, "ipv6CidrBlocks")].flatMap((list) =>
        Array.isArray(list) ? list : [],
      );
      for (const cidr of cidrs) {
        if (typeof cidr === "string" && OPEN_CIDRS.includes(cidr)) {
          found.push({
            urn: node.urn,
            cidr,
            protocol: readPath(node.props, "protocol"),
            fromPort: readPath(node.props, "fromPort"),
            toPort: readPath(node.props, "toPort"),
            groupKeys: groupKeysOf(node, "securityGroupId"),
          });
        }
      }
    }
    if (node.type === SECURITY_GROUP) {
      const inline = readArray(node.props, "ingress");
      for (const rule of Array.isArray(inline) ? inline : []) {
        const cidrs = [readArray(rule, "cidrBlocks"), readArray(rule, "ipv6CidrBlocks")].flatMap((list) =>
          Array.isArray(list) ? list : [],
        );
        for (const cidr of cidrs) {
          if (typeof cidr === "string" && OPEN_CIDRS.includes(cidr)) {
            found.push({
              urn: node.urn,
              cidr,
              protocol: readPath(rule, "protocol"),
              fromPort: readPath(rule, "fromPort"),
              toPort: readPath(rule, "toPort"),
              groupKeys: [
                node.urn,
                ...(knownString(readPath(node.props, "id")) ? [String(readPath(node.props, "id"))] : []),
              ],
            });
          }
        }
      }
    }
  }
  return found;
}

/** Keys (ids and URNs) of security groups attached to internet-facing public-edge load balancers. */
function publicEdgeGroupKeys(nodes: readonly ResourceNode[]): Set<string> {
  const keys = new Set<string>();
  for (const lb of nodes.filter((n) => n.type === LOAD_BALANCER)) {
    if (!isInternetFacing(lb.props) || readPath(tagsOf(lb), EXPOSURE_TAG) !== PUBLIC_EDGE) continue;
    const groups = readArray(lb.props, "securityGroups");
    for (const id of Array.isArray(groups) ? groups : []) if (typeof id === "string") keys.add(id);
    for (const urn of dependencyUrns(lb, "securityGroups", [SECURITY_GROUP])) keys.add(urn);
  }
  return keys;
}

export const publicIngressEdgeOnly: StackValidationPolicy = stackPolicy({
  name: "helium-public-ingress-edge-only",
  description:
    "Ingress from 0.0.0.0/0 or ::/0 is allowed only on TCP 80/443, and only to security groups of the public-edge load balancer.",
  enforcementLevel: "mandatory",
  remediationSteps: "Reference the load balancer's security group (referencedSecurityGroupId) instead of an open CIDR.",
  validate: (args, report) => {
    const nodes = asNodes(args.resources);
    const edgeGroups = publicEdgeGroupKeys(nodes);
    for (const rule of openIngressRules(nodes)) {
      const protocol = String(rule.protocol).toLowerCase();
      const port = rule.fromPort === rule.toPort && typeof rule.fromPort === "number" ? rule.fromPort : undefined;
      if (!(protocol === "tcp" || protocol === "6") || port === undefined || !PUBLIC_INGRESS_PORTS.includes(port)) {
        report(
          rule.urn,
          `ingress from ${rule.cidr} on protocol ${String(rule.protocol)} ports ${String(rule.fromPort)}-${String(rule.toPort)}: public ingress is allowed only on TCP 80 or 443`,
        );
        continue;
      }
      if (!rule.groupKeys.some((key) => edgeGroups.has(key))) {
        report(
          rule.urn,
          `ingress from ${rule.cidr} on port ${port} goes to a security group that no internet-facing "${EXPOSURE_TAG}": "${PUBLIC_EDGE}" load balancer uses`,
        );
      }
    }
  },
});

export const privateNetworkingPolicies = [
  ecsPrivateNetworking,
  dataStoresPrivateSubnets,
  rdsNotPublic,
  loadBalancerInternalUnlessEdge,
  loadBalancersInternalBehindApiGateway,
  publicIngressEdgeOnly,
] as const;
