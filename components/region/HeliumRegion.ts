/**
 * HeliumRegion: everything one region needs before services run, composed by concern:
 * - {@link RegionNetwork}: VPC, subnets, NAT, routes, flow logs, endpoints;
 * - {@link RegionSecurityGroups}: every network path (ALB → each service → the cache, by declaration);
 * - {@link RegionLoadBalancer}: certificate, ALB, listeners, access logs;
 * - {@link RegionDatabase}: RDS for PostgreSQL in the data subnets, when the model has a database;
 * - {@link RegionDataStores}: work queue and DLQ, cache, files bucket, backend secret;
 * - here: the region's KMS key, the ECS cluster and the services' log groups; when services use them, the
 *   Service Connect namespace and the ECS Exec session log group (components/service/foundation.ts).
 *
 * Args are the resolved {@link RegionModel} (model/region.ts): every name, CIDR and setting is decided there.
 * The constructor checks the model with the same rules the resolve step uses and throws one InputError
 * naming every problem before anything is registered. Every regional resource names its region (aws v7
 * `region`), so one provider serves all regions.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../../lib/iam";
import { InputError, type Problem } from "../../lib/input-error";
import { DATABASE_SECRET_KEYS, PLATFORM_SECRET_KEYS } from "../../lib/platform";
import type { RegionModel } from "../../model/types/region";
import { regionProblems } from "../../model/region";
import { RegionDatabase } from "./Database";
import { RegionDataStores } from "./DataStores";
import { RegionLoadBalancer } from "./LoadBalancer";
import { RegionNetwork } from "./Network";
import { RegionSecurityGroups } from "./SecurityGroups";
import { createEcsExecLogging, createServiceConnectNamespace } from "../service/foundation";

export interface HeliumRegionArgs {
  /** The resolved region (model/region.ts `resolveRegion`), services included. */
  readonly model: RegionModel;
  /** AWS account id: pins key policy and role trust to this account. */
  readonly account: string;
  /** Hosted zone that holds the certificate's DNS validation records. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** Values of the configured app secret keys (each a secret). Defaults to none. */
  readonly appSecretValues?: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface LogGroupRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/** One region's foundation. See the module comment for what it creates. */
export class HeliumRegion extends pulumi.ComponentResource {
  readonly model: RegionModel;
  readonly environment: string;
  readonly region: string;
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly dataSubnetIds: pulumi.Output<string>[];
  readonly natGatewayIds: pulumi.Output<string>[];
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly cacheSecurityGroupId: pulumi.Output<string>;
  /** Security group id per service name. */
  readonly serviceSecurityGroupIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The database's security group; undefined when the region has no database. */
  readonly databaseSecurityGroupId?: pulumi.Output<string>;
  /**
   * The region's PostgreSQL (instance, endpoint, master user secret, alarm thresholds): services that consume
   * `database` read its secret and depend on its instance, so none starts before the database is available.
   * Undefined when the region has no database.
   */
  readonly database?: RegionDatabase;
  /** Customer-managed KMS key of the region: logs, secret, files bucket, cache and alert topic use it. */
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;
  readonly albArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  readonly albArnSuffix: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  /** Absent on an internal load balancer (entry apiGateway). */
  readonly httpListenerArn?: pulumi.Output<string>;
  /** The load balancer's security group accepts this region's entry (the VPC link in entry apiGateway). */
  readonly loadBalancerInternal: boolean;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly dlqArn: pulumi.Output<string>;
  readonly dlqName: pulumi.Output<string>;
  readonly redisReplicationGroupId: pulumi.Output<string>;
  readonly redisPrimaryEndpoint: pulumi.Output<string>;
  readonly filesBucketName: pulumi.Output<string>;
  readonly filesBucketArn: pulumi.Output<string>;
  /** ARN of `helium/backend/<env>`; services inject its keys with `valueFrom`. */
  readonly secretArn: pulumi.Output<string>;
  /** Version id of the secret's value; task definitions pin it, so a new value rolls the services. */
  readonly secretVersionId: pulumi.Output<string>;
  /** The secret's value resource: services depend on it (and through it on the cache it describes). */
  readonly secretVersion: pulumi.Resource;
  /** Keys the secret holds: the platform's REDIS_* keys plus the configured app secrets. Plain data. */
  readonly secretKeys: readonly string[];
  /** Log group per service, by service name. */
  readonly logGroups: Readonly<Record<string, LogGroupRef>>;
  /** The region's Cloud Map HTTP namespace of Service Connect; undefined when no service consumes another. */
  readonly serviceConnectNamespaceArn: pulumi.Output<string> | undefined;
  /** The encrypted log group of ECS Exec sessions; undefined when no service opts in to ECS Exec. */
  readonly execSessionLogGroupArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: HeliumRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = [
      ...regionProblems(args.model).map((p) => ({ ...p, key: `model.${p.key}` })),
      ...secretValueProblems(args),
    ];
    if (problems.length > 0) throw new InputError(`HeliumRegion ${name}`, problems);
    super("helium:index:HeliumRegion", name, {}, opts);

    const { model, account } = args;
    const { region, environment: env } = model;
    const child: pulumi.CustomResourceOptions = { parent: this };
    this.model = model;
    this.environment = env;
    this.region = region;
    this.secretKeys = model.secret.keys;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        region,
        description: `Helium ${env} ${region}: logs, backend secret, files bucket, alert topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: regionKeyPolicy(region, account),
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { region, name: model.kmsAlias, targetKeyId: key.keyId }, child);
    this.kmsKeyArn = key.arn;

    const network = new RegionNetwork(
      `${name}-network`,
      { model, namePrefix: name, kmsKeyArn: key.arn, account },
      child,
    );
    this.vpcId = network.vpcId;
    this.publicSubnetIds = network.publicSubnetIds;
    this.privateSubnetIds = network.privateSubnetIds;
    this.dataSubnetIds = network.dataSubnetIds;
    this.natGatewayIds = network.natGatewayIds;

    const groups = new RegionSecurityGroups(
      `${name}-security-groups`,
      { model, namePrefix: name, vpcId: network.vpcId },
      child,
    );
    this.albSecurityGroupId = groups.albSecurityGroupId;
    this.cacheSecurityGroupId = groups.cacheSecurityGroupId;
    this.databaseSecurityGroupId = groups.databaseSecurityGroupId;
    this.serviceSecurityGroupIds = groups.serviceSecurityGroupIds;

    const lb = new RegionLoadBalancer(
      `${name}-load-balancer`,
      {
        model,
        namePrefix: name,
        account,
        hostedZoneId: args.hostedZoneId,
        securityGroupId: groups.albSecurityGroupId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
      },
      child,
    );
    this.certificateArn = lb.certificateArn;
    this.albArn = lb.albArn;
    this.albArnSuffix = lb.albArnSuffix;
    this.albDnsName = lb.albDnsName;
    this.albZoneId = lb.albZoneId;
    this.httpsListenerArn = lb.httpsListenerArn;
    if (lb.httpListenerArn !== undefined) this.httpListenerArn = lb.httpListenerArn;
    this.loadBalancerInternal = model.loadBalancer.internal;

    const execLogging = createEcsExecLogging(this, name, model, key.arn);
    this.execSessionLogGroupArn = execLogging?.logGroupArn;
    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        region,
        name: model.clusterName,
        settings: [{ name: "containerInsights", value: "enabled" }],
        ...(execLogging !== undefined ? { configuration: execLogging.clusterConfiguration } : {}),
      },
      child,
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        region,
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
      },
      child,
    );
    this.clusterArn = cluster.arn;
    this.clusterName = cluster.name;
    this.serviceConnectNamespaceArn = createServiceConnectNamespace(this, name, model);

    const database =
      model.database === undefined || groups.databaseSecurityGroupId === undefined
        ? undefined
        : new RegionDatabase(
            `${name}-database`,
            {
              model,
              namePrefix: name,
              kmsKeyArn: key.arn,
              dataSubnetIds: network.dataSubnetIds,
              securityGroupId: groups.databaseSecurityGroupId,
              account,
            },
            child,
          );
    this.database = database;

    const data = new RegionDataStores(
      `${name}-data`,
      {
        model,
        namePrefix: name,
        kmsKeyArn: key.arn,
        dataSubnetIds: network.dataSubnetIds,
        cacheSecurityGroupId: groups.cacheSecurityGroupId,
        ...(args.appSecretValues !== undefined ? { appSecretValues: args.appSecretValues } : {}),
        ...(database !== undefined
          ? { database: { host: database.address, port: database.port, name: database.dbName } }
          : {}),
      },
      child,
    );
    this.queueUrl = data.queueUrl;
    this.queueArn = data.queueArn;
    this.queueName = data.queueName;
    this.dlqUrl = data.dlqUrl;
    this.dlqArn = data.dlqArn;
    this.dlqName = data.dlqName;
    this.redisReplicationGroupId = data.redisReplicationGroupId;
    this.redisPrimaryEndpoint = data.redisPrimaryEndpoint;
    this.filesBucketName = data.filesBucketName;
    this.filesBucketArn = data.filesBucketArn;
    this.secretArn = data.secretArn;
    this.secretVersionId = data.secretVersionId;
    this.secretVersion = data.secretVersion;

    const logGroups: Record<string, LogGroupRef> = {};
    for (const service of model.services) {
      const group = new aws.cloudwatch.LogGroup(
        `${name}-${service.name}-logs`,
        { region, name: service.names.logGroup, retentionInDays: model.logRetentionDays, kmsKeyId: key.arn },
        child,
      );
      logGroups[service.name] = { name: group.name, arn: group.arn };
    }
    this.logGroups = logGroups;

    this.registerOutputs({
      vpcId: this.vpcId,
      albArn: this.albArn,
      albDnsName: this.albDnsName,
      httpsListenerArn: this.httpsListenerArn,
      clusterArn: this.clusterArn,
      queueUrl: this.queueUrl,
      redisPrimaryEndpoint: this.redisPrimaryEndpoint,
      filesBucketName: this.filesBucketName,
      secretArn: this.secretArn,
      ...(database !== undefined ? { databaseAddress: database.address } : {}),
    });
  }
}

/** Every app key the secret declares needs its value: ECS cannot start a task whose `valueFrom` key is absent. */
function secretValueProblems(args: HeliumRegionArgs): Problem[] {
  const values = args.appSecretValues ?? {};
  // The platform writes its own keys: the cache's, and the database's when the region has one.
  const platform: readonly string[] = [
    ...PLATFORM_SECRET_KEYS,
    ...(args.model.database !== undefined ? DATABASE_SECRET_KEYS : []),
  ];
  return args.model.secret.keys
    .filter((key) => !platform.includes(key) && values[key] === undefined)
    .map((key) => ({
      key: `appSecretValues.${key}`,
      value: undefined,
      allowed: `a value for ${key}, which model.secret.keys declares`,
    }));
}

/**
 * Key policy of the regional CMK: the account administers it through IAM; CloudWatch Logs may use it for
 * this region's log groups only; CloudWatch may use it to publish alarms to the encrypted alert topic
 * (alarms cannot publish to a topic under the AWS-managed SNS key).
 */
export function regionKeyPolicy(region: string, account: string): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchLogsForThisRegion",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${account}:log-group:*` } },
    },
    {
      Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    },
  ]);
}
