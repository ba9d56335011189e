/**
 * RegionNetwork: one region's VPC. Public, private (app) and data subnets across the model's zones, an
 * internet gateway, NAT (one per AZ or a single one), route tables (data subnets have no internet route at
 * all), VPC flow logs to an encrypted log group, the S3 gateway endpoint and the configured interface
 * endpoints. Everything comes from the resolved {@link NetworkModel}; nothing here can fail on input.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { permissionPolicy, serviceTrustPolicy } from "../../lib/iam";
import { regionScopedName } from "../../lib/naming";
import type { RegionModel, SubnetTier } from "../../model/types/region";
import { childOf } from "../aliases";

export interface RegionNetworkArgs {
  /** The resolved region; `network` decides the layout, `environment` and `region` the names. */
  readonly model: RegionModel;
  /** Prefix of every child's logical name (the HeliumRegion's name), so URNs stay as they were. */
  readonly namePrefix: string;
  /** The region's KMS key; the flow-log group is encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** AWS account id, pinning the flow-log role's trust (confused-deputy protection). */
  readonly account: string;
}

export class RegionNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly dataSubnetIds: pulumi.Output<string>[];
  readonly natGatewayIds: pulumi.Output<string>[];

  constructor(name: string, args: RegionNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:region:Network", name, {}, opts);
    const { model, namePrefix: n } = args;
    const { region, environment: env, network } = model;
    const child = childOf(this, opts?.parent);
    const tag = (thing: string) => ({ Name: regionScopedName(env, region, thing) });

    const vpc = new aws.ec2.Vpc(
      `${n}-vpc`,
      { region, cidrBlock: network.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tag("vpc") },
      child,
    );
    this.vpcId = vpc.id;
    // The default SG allows all traffic between its members; managing it with no rules empties it (CKV2_AWS_12).
    new aws.ec2.DefaultSecurityGroup(
      `${n}-default-sg`,
      { region, vpcId: vpc.id, tags: tag("default-sg-locked") },
      child,
    );

    const subnets = {} as Record<SubnetTier, aws.ec2.Subnet[]>;
    for (const tier of ["public", "private", "data"] as const) {
      subnets[tier] = network.subnets[tier].map(
        (subnet, i) =>
          new aws.ec2.Subnet(
            `${n}-${tier}-${i + 1}`,
            {
              region,
              vpcId: vpc.id,
              cidrBlock: subnet.cidr,
              availabilityZone: subnet.availabilityZone,
              // Only the ALB and NAT live in public subnets and they get addresses explicitly.
              mapPublicIpOnLaunch: false,
              tags: { ...tag(`${tier}-subnet-${i + 1}`), "helium:tier": tier },
            },
            child,
          ),
      );
    }
    this.publicSubnetIds = subnets.public.map((s) => s.id);
    this.privateSubnetIds = subnets.private.map((s) => s.id);
    this.dataSubnetIds = subnets.data.map((s) => s.id);

    const igw = new aws.ec2.InternetGateway(`${n}-igw`, { region, vpcId: vpc.id, tags: tag("igw") }, child);
    const publicRouteTable = new aws.ec2.RouteTable(
      `${n}-public-rt`,
      { region, vpcId: vpc.id, tags: tag("public-rt") },
      child,
    );
    new aws.ec2.Route(
      `${n}-public-internet`,
      { region, routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      child,
    );
    subnets.public.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${n}-public-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: publicRouteTable.id },
        child,
      );
    });

    const natCount = network.natGateways === "perAz" ? subnets.public.length : 1;
    const natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${n}-nat-eip-${i + 1}`,
        { region, domain: "vpc", tags: tag(`nat-eip-${i + 1}`) },
        child,
      );
      return new aws.ec2.NatGateway(
        `${n}-nat-${i + 1}`,
        {
          region,
          allocationId: eip.allocationId,
          subnetId: subnets.public[i].id,
          connectivityType: "public",
          tags: tag(`nat-${i + 1}`),
        },
        { ...child, dependsOn: [igw] },
      );
    });
    this.natGatewayIds = natGateways.map((g) => g.id);

    // One private route table per AZ, so switching single ↔ perAz only changes routes, never associations.
    const privateRouteTables = subnets.private.map((subnet, i) => {
      const table = new aws.ec2.RouteTable(
        `${n}-private-rt-${i + 1}`,
        { region, vpcId: vpc.id, tags: tag(`private-rt-${i + 1}`) },
        child,
      );
      new aws.ec2.Route(
        `${n}-private-egress-${i + 1}`,
        {
          region,
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${n}-private-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: table.id },
        child,
      );
      return table;
    });
    // Data subnets: no internet route at all, not even through NAT.
    const dataRouteTable = new aws.ec2.RouteTable(
      `${n}-data-rt`,
      { region, vpcId: vpc.id, tags: tag("data-rt") },
      child,
    );
    subnets.data.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${n}-data-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: dataRouteTable.id },
        child,
      );
    });

    this.createFlowLogs(n, model, vpc, args, child);

    new aws.ec2.VpcEndpoint(
      `${n}-s3-endpoint`,
      {
        region,
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...privateRouteTables.map((t) => t.id), dataRouteTable.id],
        tags: tag("s3-endpoint"),
      },
      child,
    );
    this.createInterfaceEndpoints(n, model, vpc, child);

    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      dataSubnetIds: this.dataSubnetIds,
    });
  }

  /**
   * Interface endpoints for the AWS APIs tasks call, behind a security group that accepts HTTPS from inside
   * the VPC only. A CIDR source rather than the services' groups keeps the network free of a dependency on
   * the services, which are created later and come and go.
   */
  private createInterfaceEndpoints(
    n: string,
    model: RegionModel,
    vpc: aws.ec2.Vpc,
    child: pulumi.CustomResourceOptions,
  ): void {
    const { region, environment: env, network } = model;
    if (network.interfaceEndpoints.length === 0) return;
    const readable = regionScopedName(env, region, "endpoints-sg");
    const group = new aws.ec2.SecurityGroup(
      `${n}-endpoints-sg`,
      {
        region,
        vpcId: vpc.id,
        // A generated name (prefix + suffix) lets a replacement be created before the old group is deleted.
        namePrefix: `${readable}-`,
        description: "Helium interface endpoints: HTTPS from inside the VPC",
        tags: { Name: readable },
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${n}-endpoints-in-https`,
      {
        region,
        securityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: network.vpcCidr,
        description: "HTTPS from inside the VPC",
      },
      child,
    );
    for (const endpoint of network.interfaceEndpoints) {
      new aws.ec2.VpcEndpoint(
        `${n}-${endpoint.replace(".", "-")}-endpoint`,
        {
          region,
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${region}.${endpoint}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.privateSubnetIds,
          securityGroupIds: [group.id],
          tags: { Name: `helium-${endpoint}-endpoint` },
        },
        child,
      );
    }
  }

  /** Flow logs of all traffic to a KMS-encrypted log group, through a role only VPC flow logs may assume. */
  private createFlowLogs(
    n: string,
    model: RegionModel,
    vpc: aws.ec2.Vpc,
    args: RegionNetworkArgs,
    child: pulumi.CustomResourceOptions,
  ): void {
    const { region, environment: env, network } = model;
    const group = new aws.cloudwatch.LogGroup(
      `${n}-flow-logs`,
      { region, name: network.flowLogGroup, retentionInDays: model.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      child,
    );
    const role = new aws.iam.Role(
      `${n}-flow-logs-role`,
      {
        name: network.flowLogRole,
        path: model.iamPath,
        description: `VPC flow logs of helium ${env} ${region} to CloudWatch Logs`,
        assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", args.account),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${n}-flow-logs-write`,
      {
        role: role.name,
        policy: permissionPolicy(`${n}-flow-logs-write`, [
          {
            Sid: "WriteFlowLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
          },
        ]),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${n}-flow-log`,
      {
        region,
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      },
      child,
    );
  }
}
