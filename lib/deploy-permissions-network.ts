/**
 * EC2 networking of a deploy role: VPC, subnets, gateways, route tables, security groups, endpoints and flow
 * logs. Their ids are generated, so every statement is scoped by the environment's tags (see
 * lib/deploy-permissions-scope.ts) and regions.
 *
 * A create call is authorized on the new resource (tagged in the request: `aws:RequestTag`) and on every
 * existing resource it references (the VPC, a subnet: `aws:ResourceTag`). Those are separate statements,
 * because a request-tag condition on a parent would let the role build into another environment's VPC.
 */
import type { PolicyStatement } from "./iam";
import {
  type DeployScope,
  allow,
  claimsUntagged,
  createsTagged,
  inRegions,
  regionalArn,
  taggedFor,
} from "./deploy-permissions-scope";

/** EC2 resource types the environment program creates. */
const TYPES = [
  "vpc",
  "subnet",
  "internet-gateway",
  "elastic-ip",
  "natgateway",
  "route-table",
  "security-group",
  "security-group-rule",
  "vpc-endpoint",
  "vpc-flow-log",
] as const;
type Ec2Type = (typeof TYPES)[number];

const arns = (scope: DeployScope, types: readonly Ec2Type[]) =>
  types.map((type) => regionalArn(scope, "ec2", `${type}/*`));

/** Calls that create a tagged EC2 resource (TagSpecifications), by the type they create. */
const CREATE: Readonly<Record<Ec2Type, readonly string[]>> = {
  vpc: ["ec2:CreateVpc"],
  subnet: ["ec2:CreateSubnet"],
  "internet-gateway": ["ec2:CreateInternetGateway"],
  "elastic-ip": ["ec2:AllocateAddress"],
  natgateway: ["ec2:CreateNatGateway"],
  "route-table": ["ec2:CreateRouteTable"],
  "security-group": ["ec2:CreateSecurityGroup"],
  "security-group-rule": ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
  "vpc-endpoint": ["ec2:CreateVpcEndpoint"],
  "vpc-flow-log": ["ec2:CreateFlowLogs"],
};
const creating = (types: readonly Ec2Type[]) => types.flatMap((type) => CREATE[type]);

/** EC2 statements that create resources and act on the environment's existing ones. */
export function networkStatements(scope: DeployScope): PolicyStatement[] {
  // Each create statement names only the types its calls create, never a type one of them references.
  const createGroups: ReadonlyArray<readonly [string, readonly Ec2Type[]]> = [
    ["Ec2CreateVpcGatewayAddress", ["vpc", "internet-gateway", "elastic-ip"]],
    ["Ec2CreateSubnetRouteTableGroup", ["subnet", "route-table", "security-group"]],
    ["Ec2CreateNatEndpointRule", ["natgateway", "vpc-endpoint", "security-group-rule"]],
    ["Ec2CreateFlowLog", ["vpc-flow-log"]],
  ];
  return [
    ...createGroups.map(([sid, types]) => allow(sid, creating(types), arns(scope, types), createsTagged(scope))),
    allow(
      "Ec2CreateInTaggedVpc",
      ["ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateFlowLogs"],
      arns(scope, ["vpc"]),
      taggedFor(scope),
    ),
    allow(
      "Ec2CreateOnTaggedParents",
      [
        "ec2:CreateNatGateway",
        "ec2:CreateVpcEndpoint",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
      ],
      arns(scope, ["vpc", "subnet", "elastic-ip", "route-table", "security-group"]),
      taggedFor(scope),
    ),
    allow(
      "Ec2ManageTagged",
      [
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:DescribeVpcAttribute",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:ReleaseAddress",
        "ec2:DeleteNatGateway",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:DeleteRoute",
        "ec2:ReplaceRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:DeleteSecurityGroup",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:DeleteVpcEndpoints",
        "ec2:ModifyVpcEndpoint",
        "ec2:DeleteFlowLogs",
        // Re-tagging or untagging its own resources can only give them away, never take another's.
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      arns(scope, TYPES),
      taggedFor(scope),
    ),
  ];
}

/** EC2 tagging at create time, the VPC's default security group, and the reads AWS does not scope. */
export function networkTaggingStatements(scope: DeployScope): PolicyStatement[] {
  return [
    // TagSpecifications on a create call also need ec2:CreateTags on the new resource, for that call only.
    allow("Ec2TagOnCreate", ["ec2:CreateTags"], arns(scope, TYPES), {
      StringEquals: {
        "ec2:CreateAction": creating(TYPES).map((action) => action.replace(/^ec2:/, "")),
        "aws:RequestedRegion": [...scope.regions],
      },
    }),
    // AWS creates the default security group with the VPC, untagged; the program adopts and tags it.
    allow("Ec2TagDefaultSecurityGroup", ["ec2:CreateTags"], arns(scope, ["security-group"]), claimsUntagged(scope)),
    allow(
      "Ec2ReadsHaveNoResourceScope",
      [
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeAddresses",
        "ec2:DescribeAddressesAttribute",
        "ec2:DescribeNatGateways",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeFlowLogs",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribePrefixLists",
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeTags",
      ],
      "*",
      inRegions(scope),
    ),
  ];
}
