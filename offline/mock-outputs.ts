/**
 * Realistic computed outputs for mocked resources: the ids, ARNs, DNS names and endpoints AWS would
 * return, in the right format and region. Mocks otherwise echo only inputs, and a program that reads
 * `bucket.arn` or `alb.dnsName` would see undefined. The special cases are by area
 * (mock-outputs-network.ts, mock-outputs-services.ts); this module dispatches and holds the generic shapes.
 */
import { stableHash } from "../lib/name-fitting";
import { type Inputs, MOCK_ACCOUNT_ID, type MockState, mockContext, str } from "./mock-context";
import { networkState } from "./mock-outputs-network";
import { serviceState } from "./mock-outputs-services";

/** AWS modules whose resources are global: no region in their ARN, and `region: null` in the plan. */
const GLOBAL_AWS_MODULES = new Set([
  "iam",
  "route53",
  "globalaccelerator",
  "cloudfront",
  "organizations",
  "budgets",
  "shield",
]);

export function isGlobalType(type: string): boolean {
  const [pkg, module] = type.split(":");
  if (pkg !== "aws") return true;
  return GLOBAL_AWS_MODULES.has((module ?? "").split("/")[0]);
}

/**
 * Computes id and state for a resource. `region` is the effective region (null for global types).
 */
export function mockResourceState(type: string, logicalName: string, inputs: Inputs, region: string | null): MockState {
  const context = mockContext(type, logicalName, inputs, region);
  const special = networkState(context) ?? serviceState(context);
  if (special !== undefined) return special;
  const { h8, h17, account, name, arn, withState } = context;
  if (type.startsWith("kubernetes:")) {
    const metadata = (inputs.metadata as Inputs | undefined) ?? {};
    const k8sName = str(metadata.name) ?? `${logicalName}-${h8}`;
    const namespace = str(metadata.namespace);
    return withState(namespace ? `${namespace}/${k8sName}` : k8sName, { metadata: { ...metadata, name: k8sName } });
  }
  if (type.startsWith("aws:")) {
    // Generic shape for types without a special case: <module> service, <name> resource.
    const module = type.split(":")[1].split("/")[0];
    const kind = type.split(":")[2].replace(/[A-Z]/g, (c, i) => (i === 0 ? c.toLowerCase() : `-${c.toLowerCase()}`));
    const id = `${kind}-${h17}`;
    return withState(id, {
      arn: isGlobalType(type) ? `arn:aws:${module}::${account}:${kind}/${name}` : arn(module, `${kind}/${name}`),
    });
  }
  return withState(`${logicalName}-${h8}`);
}

/** Results of provider functions (invokes) the program calls. */
export function mockCallResult(token: string, inputs: Inputs, defaultRegion: string): Record<string, unknown> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
        userId: "AIDAMOCK",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "aws:index/getRegion:getRegion": {
      const region = str(inputs.region) ?? defaultRegion;
      return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
    }
    case "aws:ec2/getSecurityGroup:getSecurityGroup": {
      // The lookup GlobalEdge makes of the group Global Accelerator creates in a VPC (by name and VPC).
      const region = str(inputs.region) ?? defaultRegion;
      const vpcId = str(inputs.vpcId) ?? "vpc-mock";
      const id = `sg-${stableHash(`${vpcId}/${str(inputs.name) ?? ""}`, 17)}`;
      return {
        id,
        arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/${id}`,
        name: str(inputs.name) ?? id,
        vpcId,
        description: str(inputs.name) ?? "",
        region,
        tags: {},
      };
    }
    default:
      throw new Error(
        `The mock harness has no result for the provider function ${token}; add one in offline/mock-outputs.ts`,
      );
  }
}
