/**
 * Mock outputs of the traffic path: VPC and its parts, load balancers, certificates, DNS, Global Accelerator
 * and API Gateway (offline/mock-outputs.ts dispatches here).
 */
import { stableHash } from "../lib/name-fitting";
import { type Inputs, type MockContext, type MockState, str, uuidFrom } from "./mock-context";

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

/** Id and state of a network or edge resource; undefined for other types. */
export function networkState(context: MockContext): MockState | undefined {
  const { type, logicalName, inputs, seed, h8, h17, r, account, name, arn, withState } = context;
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
    default:
      return undefined;
  }
}
