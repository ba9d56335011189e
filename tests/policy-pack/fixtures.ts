/**
 * Fixture builders for policy tests: RecordedResource objects shaped like the mock harness records them,
 * plus the policy runtime's "unknown" sentinels to reproduce a first preview, where ids are not known yet.
 */
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  runPolicyPack,
  type HeliumPackConfig,
  type PolicyReport,
  type PolicyViolation,
} from "../../policy-pack/engine";
import type { RecordedResource } from "../../offline/types";

// The runtime's sentinels are internal (untyped) exports of @pulumi/policy/proxy; a value equal to one is
// what `pulumi preview` hands a policy for a value that depends on a resource not created yet.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as { unknownStringValue: string; unknownArrayValue: string };
export const UNKNOWN_STRING = sentinels.unknownStringValue;
export const UNKNOWN_ARRAY = sentinels.unknownArrayValue;

export function urnOf(type: string, name: string, stack = "staging"): string {
  return `urn:pulumi:${stack}::helium::${type}::${name}`;
}

export interface FixtureOptions {
  readonly id?: string;
  readonly stack?: string;
  readonly custom?: boolean;
  /** Property → resources (or URNs) it was computed from. */
  readonly deps?: Record<string, ReadonlyArray<RecordedResource | string>>;
}

export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  options: FixtureOptions = {},
): RecordedResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(options.deps ?? {}))
    propertyDependencies[key] = list.map((d) => (typeof d === "string" ? d : d.urn));
  return {
    urn: urnOf(type, name, options.stack),
    type,
    name,
    id: options.custom === false ? null : (options.id ?? `${name}-id`),
    custom: options.custom ?? true,
    parent: null,
    provider: null,
    region: "ap-south-1",
    protect: false,
    inputs,
    outputs: inputs,
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
    aliases: [],
  };
}

export function run(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: readonly RecordedResource[],
  config?: HeliumPackConfig,
): PolicyReport {
  const policies: Policies = [policy];
  return runPolicyPack(resources, { policies, ...(config !== undefined ? { config } : {}) });
}

/** Compact form of violations for exact assertions. */
export function found(
  report: PolicyReport,
): Array<Pick<PolicyViolation, "policy" | "enforcementLevel" | "resourceName">> {
  return report.violations.map((v) => ({
    policy: v.policy,
    enforcementLevel: v.enforcementLevel,
    resourceName: v.resourceName,
  }));
}

export const T = {
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  service: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  rdsInstance: "aws:rds/instance:Instance",
  rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
} as const;

/**
 * A VPC slice as our components build it: one public subnet (route to the IGW) and one private subnet
 * (route to a NAT), each with an explicit association, and internet routes as separate Route resources.
 * `known` false reproduces a first preview: every id is the unknown sentinel and only propertyDependencies link.
 */
export function network(known: boolean) {
  const id = (value: string) => (known ? value : UNKNOWN_STRING);
  const igw = res(T.igw, "igw", {}, { id: "igw-0a1" });
  const nat = res(T.nat, "nat", {}, { id: "nat-0b2" });
  const publicSubnet = res(T.subnet, "public-a", { cidrBlock: "10.0.1.0/24" }, { id: "subnet-0pub" });
  const privateSubnet = res(T.subnet, "private-a", { cidrBlock: "10.0.10.0/24" }, { id: "subnet-0prv" });
  const publicTable = res(T.routeTable, "public-rt", {}, { id: "rtb-0pub" });
  const privateTable = res(T.routeTable, "private-rt", {}, { id: "rtb-0prv" });
  const resources = [
    igw,
    nat,
    publicSubnet,
    privateSubnet,
    publicTable,
    privateTable,
    res(
      T.route,
      "public-default",
      { routeTableId: id("rtb-0pub"), destinationCidrBlock: "0.0.0.0/0", gatewayId: id("igw-0a1") },
      { deps: { routeTableId: [publicTable], gatewayId: [igw] } },
    ),
    res(
      T.route,
      "private-default",
      { routeTableId: id("rtb-0prv"), destinationCidrBlock: "0.0.0.0/0", natGatewayId: id("nat-0b2") },
      { deps: { routeTableId: [privateTable], natGatewayId: [nat] } },
    ),
    res(
      T.association,
      "public-a-assoc",
      { subnetId: id("subnet-0pub"), routeTableId: id("rtb-0pub") },
      { deps: { subnetId: [publicSubnet], routeTableId: [publicTable] } },
    ),
    res(
      T.association,
      "private-a-assoc",
      { subnetId: id("subnet-0prv"), routeTableId: id("rtb-0prv") },
      { deps: { subnetId: [privateSubnet], routeTableId: [privateTable] } },
    ),
  ];
  return { resources, publicSubnet, privateSubnet, subnetId: id, known };
}
