/**
 * Realistic computed outputs for mocked resources: the ids, ARNs, DNS names and endpoints AWS would
 * return, in the right format and region. Mocks otherwise echo only inputs, and a program that reads
 * `bucket.arn` or `alb.dnsName` would see undefined.
 */
import { createHash } from "crypto";

export const MOCK_ACCOUNT_ID = "123456789012";

/** Route 53 hosted zone ids of ALBs per region (AWS published values), for `zoneId` outputs. */
const ALB_ZONE_IDS: Readonly<Record<string, string>> = {
  "ap-south-1": "ZP97RAFLXTNZK",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ap-northeast-1": "Z14GRHDCWA56QT",
};
/**
 * Route 53 hosted zone ids of API Gateway regional endpoints per region, for custom domains' alias targets
 * (values as the AWS General Reference's API Gateway endpoint table lists them; not re-checked offline).
 */
const API_GATEWAY_ZONE_IDS: Readonly<Record<string, string>> = {
  "ap-south-1": "Z3VO1THU9YC4UR",
  "ap-southeast-1": "ZL327KTPIQFUL",
  "us-east-1": "Z1UJRXOUMOOFQ8",
};
/** Global Accelerator's fixed alias hosted zone. */
export const GLOBAL_ACCELERATOR_ZONE_ID = "Z2BJ6XQ5FK7U4H";

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

/** Deterministic hex digest, so that plans are stable from run to run. */
export function stableHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** The 26 digits terraform-plugin-sdk's id.PrefixedUniqueId appends: a timestamp and a counter. */
function uniqueSuffix(seed: string): string {
  return (BigInt(`0x${stableHash(seed, 20)}`) % 10n ** 26n).toString().padStart(26, "0");
}

function uuidFrom(seed: string): string {
  const h = stableHash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type Inputs = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The physical name AWS would have: the explicit name input, or Pulumi's auto-name (logical name + suffix). */
function physicalName(logicalName: string, inputs: Inputs, seed: string): string {
  return str(inputs.name) ?? `${logicalName}-${stableHash(seed, 7)}`;
}

export interface MockState {
  readonly id: string;
  readonly state: Inputs;
}

/**
 * Computes id and state for a resource. `region` is the effective region (null for global types).
 */
export function mockResourceState(type: string, logicalName: string, inputs: Inputs, region: string | null): MockState {
  const seed = `${type}::${logicalName}`;
  const h8 = stableHash(seed, 8);
  const h17 = stableHash(seed, 17);
  const r = region ?? "us-east-1";
  const account = MOCK_ACCOUNT_ID;
  const name = physicalName(logicalName, inputs, seed);
  const arn = (service: string, resource: string, arnRegion: string = r) =>
    `arn:aws:${service}:${arnRegion}:${account}:${resource}`;
  const withState = (id: string, extra: Inputs = {}): MockState => ({ id, state: { ...inputs, ...extra } });

  switch (type) {
    case "aws:ec2/vpc:Vpc": {
      const id = `vpc-${h17}`;
      return withState(id, {
        arn: arn("ec2", `vpc/${id}`),
        defaultSecurityGroupId: `sg-${stableHash(seed + "dsg", 17)}`,
        mainRouteTableId: `rtb-${stableHash(seed + "main", 17)}`,
        defaultNetworkAclId: `acl-${h17}`,
      });
    }
    case "aws:ec2/subnet:Subnet": {
      const id = `subnet-${h17}`;
      return withState(id, { arn: arn("ec2", `subnet/${id}`) });
    }
    case "aws:ec2/internetGateway:InternetGateway":
      return withState(`igw-${h17}`, { arn: arn("ec2", `internet-gateway/igw-${h17}`) });
    case "aws:ec2/eip:Eip":
      return withState(`eipalloc-${h17}`, {
        allocationId: `eipalloc-${h17}`,
        publicIp: `203.0.113.${(parseInt(h8.slice(0, 2), 16) % 250) + 1}`,
      });
    case "aws:ec2/natGateway:NatGateway":
      return withState(`nat-${h17}`);
    case "aws:ec2/routeTable:RouteTable":
      return withState(`rtb-${h17}`, { arn: arn("ec2", `route-table/rtb-${h17}`) });
    case "aws:ec2/route:Route":
      return withState(`r-${str(inputs.routeTableId) ?? "rtb"}${h8}`);
    case "aws:ec2/routeTableAssociation:RouteTableAssociation":
      return withState(`rtbassoc-${h17}`);
    case "aws:ec2/securityGroup:SecurityGroup":
      return withState(`sg-${h17}`, { arn: arn("ec2", `security-group/sg-${h17}`), name });
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
      return withState(`sgr-${h17}`, { arn: arn("ec2", `security-group-rule/sgr-${h17}`) });
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return withState(`vpce-${h17}`, { arn: arn("ec2", `vpc-endpoint/vpce-${h17}`) });
    case "aws:ec2/flowLog:FlowLog":
      return withState(`fl-${h17}`, { arn: arn("ec2", `vpc-flow-log/fl-${h17}`) });
    case "aws:cloudwatch/logGroup:LogGroup":
      return withState(name, { name, arn: arn("logs", `log-group:${name}`) });
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return withState(name, { name, arn: arn("cloudwatch", `alarm:${name}`) });
    case "aws:cloudwatch/dashboard:Dashboard": {
      const dashboardName = str(inputs.dashboardName) ?? name;
      return withState(dashboardName, { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${dashboardName}` });
    }
    case "aws:iam/role:Role":
      return withState(name, {
        name,
        arn: `arn:aws:iam::${account}:role${str(inputs.path) ?? "/"}${name}`,
        uniqueId: `AROA${h17.toUpperCase()}`,
      });
    case "aws:iam/policy:Policy":
      return withState(`arn:aws:iam::${account}:policy/${name}`, {
        name,
        arn: `arn:aws:iam::${account}:policy/${name}`,
      });
    case "aws:iam/rolePolicy:RolePolicy":
      return withState(`${str(inputs.role) ?? "role"}:${name}`, { name });
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const host = (str(inputs.url) ?? "https://token.actions.githubusercontent.com").replace(/^https:\/\//, "");
      return withState(`arn:aws:iam::${account}:oidc-provider/${host}`, {
        arn: `arn:aws:iam::${account}:oidc-provider/${host}`,
      });
    }
    case "aws:kms/key:Key": {
      const keyId = uuidFrom(seed);
      return withState(keyId, { keyId, arn: arn("kms", `key/${keyId}`) });
    }
    case "aws:kms/alias:Alias":
      return withState(str(inputs.name) ?? `alias/${logicalName}`, {
        arn: arn("kms", str(inputs.name) ?? `alias/${logicalName}`),
      });
    case "aws:s3/bucket:Bucket": {
      const bucket = str(inputs.bucket) ?? `${logicalName}-${h8}`.toLowerCase();
      return withState(bucket, {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${r}.amazonaws.com`,
        hostedZoneId: "Z3O0J2DXBE1FTB",
      });
    }
    case "aws:lb/loadBalancer:LoadBalancer": {
      const suffix = `app/${name}/${stableHash(seed, 16)}`;
      return withState(arn("elasticloadbalancing", `loadbalancer/${suffix}`), {
        name,
        arn: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
        arnSuffix: suffix,
        dnsName: `${name}-${parseInt(h8, 16)}.${r}.elb.amazonaws.com`,
        zoneId: ALB_ZONE_IDS[r] ?? "Z00000000000000",
      });
    }
    case "aws:lb/listener:Listener": {
      const listenerArn = arn(
        "elasticloadbalancing",
        `listener/app/${logicalName}/${stableHash(seed, 16)}/${stableHash(seed + "l", 16)}`,
      );
      return withState(listenerArn, { arn: listenerArn });
    }
    case "aws:lb/listenerRule:ListenerRule": {
      const ruleArn = arn("elasticloadbalancing", `listener-rule/app/${logicalName}/${stableHash(seed, 16)}`);
      return withState(ruleArn, { arn: ruleArn });
    }
    case "aws:lb/targetGroup:TargetGroup": {
      const suffix = `targetgroup/${name}/${stableHash(seed, 16)}`;
      return withState(arn("elasticloadbalancing", suffix), {
        name,
        arn: arn("elasticloadbalancing", suffix),
        arnSuffix: suffix,
      });
    }
    case "aws:acm/certificate:Certificate": {
      const domains = [
        str(inputs.domainName),
        ...((inputs.subjectAlternativeNames as string[] | undefined) ?? []),
      ].filter((d): d is string => d !== undefined);
      // AWS returns one option per name; a wildcard and its apex share the same validation record.
      const domainValidationOptions = domains.map((domainName) => {
        const apex = domainName.replace(/^\*\./, "");
        return {
          domainName,
          resourceRecordName: `_${stableHash(apex, 32)}.${apex}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${stableHash(apex + "v", 32)}.acm-validations.aws.`,
        };
      });
      const certArn = arn("acm", `certificate/${uuidFrom(seed)}`);
      return withState(certArn, { arn: certArn, domainValidationOptions, status: "ISSUED" });
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return withState(`${str(inputs.certificateArn) ?? "cert"}-validation`);
    case "aws:route53/zone:Zone": {
      const zoneId = `Z${stableHash(seed, 20).toUpperCase()}`;
      return withState(zoneId, {
        zoneId,
        arn: `arn:aws:route53:::hostedzone/${zoneId}`,
        nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
      });
    }
    case "aws:route53/record:Record": {
      const recordName = str(inputs.name) ?? logicalName;
      return withState(`${str(inputs.zoneId) ?? "Z"}_${recordName}_${str(inputs.type) ?? "A"}`, { fqdn: recordName });
    }
    case "aws:ecs/cluster:Cluster":
      return withState(arn("ecs", `cluster/${name}`), { name, arn: arn("ecs", `cluster/${name}`) });
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = str(inputs.family) ?? name;
      return withState(family, {
        arn: arn("ecs", `task-definition/${family}:1`),
        arnWithoutRevision: arn("ecs", `task-definition/${family}`),
        revision: 1,
      });
    }
    case "aws:ecs/service:Service": {
      const cluster = (str(inputs.cluster) ?? "").split("/").pop() ?? "cluster";
      return withState(arn("ecs", `service/${cluster}/${name}`), {
        name,
        arn: arn("ecs", `service/${cluster}/${name}`),
      });
    }
    case "aws:appautoscaling/target:Target":
      return withState(str(inputs.resourceId) ?? h17, {
        arn: arn("application-autoscaling", `scalable-target/${h17}`),
      });
    case "aws:appautoscaling/policy:Policy":
      return withState(name, { name, arn: arn("autoscaling", `scalingPolicy:${uuidFrom(seed)}:resource/ecs/${name}`) });
    case "aws:sqs/queue:Queue": {
      const queueName = name;
      const url = `https://sqs.${r}.amazonaws.com/${account}/${queueName}`;
      return withState(url, { name: queueName, url, arn: arn("sqs", queueName) });
    }
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return withState(name, { name, arn: arn("elasticache", `subnetgroup:${name}`) });
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const groupId = str(inputs.replicationGroupId) ?? name;
      const short = stableHash(seed, 6);
      return withState(groupId, {
        arn: arn("elasticache", `replicationgroup:${groupId}`),
        primaryEndpointAddress: `master.${groupId}.${short}.${r.replace(/-/g, "").slice(0, 4)}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${groupId}.${short}.${r.replace(/-/g, "").slice(0, 4)}.cache.amazonaws.com`,
        port: inputs.port ?? 6379,
      });
    }
    case "aws:rds/subnetGroup:SubnetGroup":
    case "aws:rds/parameterGroup:ParameterGroup": {
      // With namePrefix the provider appends a 26-character unique suffix (terraform-plugin-sdk id.PrefixedUniqueId).
      const groupName = str(inputs.name) ?? `${str(inputs.namePrefix) ?? `${logicalName}-`}${uniqueSuffix(seed)}`;
      const kind = type.endsWith("SubnetGroup") ? "subgrp" : "pg";
      return withState(groupName, { name: groupName, arn: arn("rds", `${kind}:${groupName}`) });
    }
    case "aws:rds/instance:Instance": {
      const identifier =
        str(inputs.identifier) ?? `${str(inputs.identifierPrefix) ?? "terraform-"}${uniqueSuffix(seed)}`;
      const address = `${identifier}.c${stableHash(seed, 11)}.${r}.rds.amazonaws.com`;
      const port = typeof inputs.port === "number" ? inputs.port : 5432;
      const managed = inputs.manageMasterUserPassword === true;
      return withState(`db-${stableHash(seed, 26).toUpperCase()}`, {
        identifier,
        address,
        endpoint: `${address}:${port}`,
        port,
        arn: arn("rds", `db:${identifier}`),
        resourceId: `db-${stableHash(seed, 26).toUpperCase()}`,
        hostedZoneId: "Z2VFMSZA74J7XZ",
        // RDS names its managed secret rds!db-<uuid> (Secrets Manager adds a 6-character suffix to the ARN).
        masterUserSecrets: managed
          ? [
              {
                secretArn: arn("secretsmanager", `secret:rds!db-${uuidFrom(seed)}-${stableHash(seed, 6)}`),
                kmsKeyId: str(inputs.masterUserSecretKmsKeyId) ?? arn("kms", "alias/aws/secretsmanager"),
                secretStatus: "active",
              },
            ]
          : [],
      });
    }
    case "aws:secretsmanager/secret:Secret": {
      const secretArn = arn("secretsmanager", `secret:${name}-${stableHash(seed, 6)}`);
      return withState(secretArn, { arn: secretArn, name });
    }
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      // Each new value is a new version with a new id (PutSecretValue), as task definitions that pin it expect.
      const versionId = uuidFrom(`${seed}::${JSON.stringify(inputs.secretString ?? inputs.secretBinary ?? null)}`);
      return withState(`${str(inputs.secretId) ?? "secret"}|${versionId}`, {
        versionId,
        arn: str(inputs.secretId),
      });
    }
    case "aws:sns/topic:Topic":
      return withState(arn("sns", name), { name, arn: arn("sns", name) });
    case "aws:sns/topicSubscription:TopicSubscription":
      return withState(`${str(inputs.topic) ?? arn("sns", "topic")}:${uuidFrom(seed)}`, {
        arn: `${str(inputs.topic) ?? arn("sns", "topic")}:${uuidFrom(seed)}`,
      });
    case "aws:grafana/workspace:Workspace": {
      const id = `g-${stableHash(seed, 10)}`;
      return withState(id, {
        arn: arn("grafana", `/workspaces/${id}`),
        endpoint: `${id}.grafana-workspace.${r}.amazonaws.com`,
      });
    }
    case "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": {
      // AWS returns the service account's numeric id; the resource id is `<workspace id>,<service account id>`.
      const serviceAccountId = String(parseInt(h8, 16) % 100000);
      return withState(`${str(inputs.workspaceId) ?? "g-0000000000"},${serviceAccountId}`, { serviceAccountId });
    }
    case "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": {
      const serviceAccountTokenId = String(parseInt(h8, 16) % 100000);
      return withState(`${str(inputs.workspaceId) ?? "g-0000000000"},${serviceAccountTokenId}`, {
        serviceAccountTokenId,
        key: `glsa_${stableHash(seed + "key", 32)}_${h8}`,
      });
    }
    case "aws:xray/group:Group":
      return withState(arn("xray", `group/${str(inputs.groupName) ?? name}/${h17}`), {
        arn: arn("xray", `group/${str(inputs.groupName) ?? name}/${h17}`),
      });
    case "aws:xray/samplingRule:SamplingRule":
      return withState(str(inputs.ruleName) ?? name, {
        arn: arn("xray", `sampling-rule/${str(inputs.ruleName) ?? name}`),
      });
    case "aws:globalaccelerator/accelerator:Accelerator": {
      const accArn = `arn:aws:globalaccelerator::${account}:accelerator/${uuidFrom(seed)}`;
      return withState(accArn, {
        arn: accArn,
        dnsName: `a${stableHash(seed, 16)}.awsglobalaccelerator.com`,
        hostedZoneId: GLOBAL_ACCELERATOR_ZONE_ID,
        ipSets: [{ ipFamily: "IPv4", ipAddresses: ["75.2.0.10", "99.83.0.10"] }],
      });
    }
    case "aws:globalaccelerator/listener:Listener":
    case "aws:globalaccelerator/endpointGroup:EndpointGroup": {
      const parentArn =
        str(inputs.acceleratorArn) ?? str(inputs.listenerArn) ?? `arn:aws:globalaccelerator::${account}:accelerator/x`;
      const childArn = `${parentArn}/${type.endsWith("Listener") ? "listener" : "endpoint-group"}/${h8}`;
      return withState(childArn, { arn: childArn });
    }
    case "aws:ecr/repository:Repository": {
      const repoName = name;
      return withState(repoName, {
        name: repoName,
        arn: arn("ecr", `repository/${repoName}`),
        registryId: account,
        repositoryUrl: `${account}.dkr.ecr.${r}.amazonaws.com/${repoName}`,
      });
    }
    case "random:index/randomId:RandomId": {
      const byteLength = typeof inputs.byteLength === "number" ? inputs.byteLength : 4;
      const hex = stableHash(seed, byteLength * 2);
      return withState(Buffer.from(hex, "hex").toString("base64url"), {
        hex,
        dec: BigInt(`0x${hex}`).toString(),
        b64Std: Buffer.from(hex, "hex").toString("base64"),
        b64Url: Buffer.from(hex, "hex").toString("base64url"),
      });
    }
    case "aws:apigatewayv2/api:Api": {
      const apiId = stableHash(seed, 10);
      return withState(apiId, {
        arn: `arn:aws:apigateway:${r}::/apis/${apiId}`,
        apiEndpoint: `https://${apiId}.execute-api.${r}.amazonaws.com`,
        executionArn: arn("execute-api", apiId),
      });
    }
    case "aws:apigatewayv2/domainName:DomainName": {
      const domainName = str(inputs.domainName) ?? name;
      const configuration = (inputs.domainNameConfiguration as Inputs | undefined) ?? {};
      return withState(domainName, {
        arn: `arn:aws:apigateway:${r}::/domainnames/${domainName}`,
        apiMappingSelectionExpression: "$request.basepath",
        domainNameConfiguration: {
          ...configuration,
          targetDomainName: `d-${stableHash(seed, 10)}.execute-api.${r}.amazonaws.com`,
          hostedZoneId: API_GATEWAY_ZONE_IDS[r] ?? "Z00000000000000",
        },
      });
    }
    case "random:index/randomPassword:RandomPassword": {
      const length = typeof inputs.length === "number" ? inputs.length : 32;
      const result = stableHash(seed, 64).repeat(2).slice(0, length);
      return withState(h17, { result, bcryptHash: `$2a$10$${h17}` });
    }
    default:
      break;
  }
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
