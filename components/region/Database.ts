/**
 * RegionDatabase: a region's RDS for PostgreSQL instance (`helium:database`), from the resolved
 * {@link DatabaseModel}.
 *
 * - In the data subnets (a DB subnet group of them: no route to the internet, not even through NAT), behind its
 *   own security group (RegionSecurityGroups opens 5432 to the services that declare `database`, nothing else),
 *   never publicly accessible.
 * - Storage gp3, encrypted with the region's KMS key; TLS required (`rds.force_ssl = 1` in its parameter group).
 * - The master password is generated and kept by RDS in Secrets Manager (`manageMasterUserPassword`), encrypted
 *   with the region key: it is never in config or in Pulumi state. Its rotation is off unless
 *   `masterPasswordRotationDays` is set (ECS injects the password only when a task starts).
 * - Multi-AZ, backups, deletion protection and a final snapshot as the model says (production: on).
 *
 * Replacement. The instance identifier, the parameter group and the subnet group have generated names (a readable
 * prefix and a unique suffix), so a replacement is created before the old one is deleted: a major-version change
 * (new parameter group family) can attach the new group before the old, still in use, is removed, and a
 * replaced instance is up — and the backend secret points at it — before the old one goes. In production the
 * instance is protected and has deletion protection, so a plan that would replace it fails instead.
 *
 * The final snapshot's identifier is held for as long as the snapshot exists, so it carries a random suffix
 * that is drawn again whenever the instance is replaced (its keepers are the inputs that force a replacement):
 * no later instance's final snapshot collides with an earlier one's.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { permissionPolicy, serviceTrustPolicy } from "../../lib/iam";
import { InputError, type Problem } from "../../lib/input-error";
import { databaseProblems } from "../../model/database";
import type { DatabaseAlarmsModel } from "../../model/types/database";
import type { RegionModel } from "../../model/types/region";

/** Parameters of every Helium database, on top of the family's defaults. */
export const DATABASE_PARAMETERS: readonly aws.types.input.rds.ParameterGroupParameter[] = [
  // Refuse unencrypted connections (the default from PostgreSQL 15 on; explicit for every version).
  // pending-reboot is valid for static and dynamic parameters alike; a new instance starts with it applied.
  { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
];

/** Days RDS keeps Performance Insights data when it is on (the free retention). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

export interface RegionDatabaseArgs {
  /** The resolved region; `database` must be set. */
  readonly model: RegionModel;
  /** Prefix of every child's logical name (the HeliumRegion's name). */
  readonly namePrefix: string;
  /** The region's KMS key: storage, the master user secret and Performance Insights are encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The data subnets, one per availability zone (at least 2: a DB subnet group spans two zones). */
  readonly dataSubnetIds: readonly pulumi.Input<string>[];
  /** The database's security group (RegionSecurityGroups `databaseSecurityGroupId`). */
  readonly securityGroupId: pulumi.Input<string>;
  /** AWS account id: pins the monitoring role's trust to this account. */
  readonly account: string;
}

/** Every problem with the args, before anything is registered. */
export function regionDatabaseProblems(args: RegionDatabaseArgs): Problem[] {
  const database = args.model.database;
  if (database === undefined) {
    return [{ key: "model.database", value: undefined, allowed: "a resolved database (helium:database is set)" }];
  }
  const problems = databaseProblems(database).map((p) => ({ ...p, key: `model.database.${p.key}` }));
  if (args.dataSubnetIds.length < 2) {
    problems.push({
      key: "dataSubnetIds",
      value: args.dataSubnetIds.length,
      allowed: "subnets in at least 2 availability zones (a DB subnet group must span two)",
    });
  }
  return problems;
}

export class RegionDatabase extends pulumi.ComponentResource {
  /** The DB instance: services depend on it, so no task starts before the database is available. */
  readonly instance: aws.rds.Instance;
  /** The generated DBInstanceIdentifier: the `DBInstanceIdentifier` dimension of RDS metrics. */
  readonly identifier: pulumi.Output<string>;
  /** Endpoint host name (DB_HOST); it follows the primary through a Multi-AZ failover. */
  readonly address: pulumi.Output<string>;
  readonly port: number;
  /** The database consumers use (DB_NAME). */
  readonly dbName: string;
  /** ARN of the RDS-managed master user secret (JSON keys `username` and `password`). */
  readonly masterUserSecretArn: pulumi.Output<string>;
  /** Alarm thresholds (plain data, from the model): Observability watches the instance with them. */
  readonly alarms: DatabaseAlarmsModel;

  constructor(name: string, args: RegionDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = regionDatabaseProblems(args);
    if (problems.length > 0) throw new InputError(`RegionDatabase ${name}`, problems);
    super("helium:region:Database", name, {}, opts);

    const { model, namePrefix: n } = args;
    const db = model.database as NonNullable<RegionModel["database"]>;
    const { region, environment: env } = model;
    const child: pulumi.CustomResourceOptions = { parent: this };

    const subnetGroup = new aws.rds.SubnetGroup(
      `${n}-db-subnets`,
      {
        region,
        namePrefix: `${db.subnetGroupName}-`,
        description: `Helium ${env} ${region} data subnets`,
        subnetIds: [...args.dataSubnetIds],
        tags: { Name: db.subnetGroupName },
      },
      child,
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      `${n}-db-params`,
      {
        region,
        namePrefix: `${db.parameterGroupName}-`,
        family: db.parameterGroupFamily,
        description: `Helium ${env} ${region} PostgreSQL: TLS required`,
        parameters: [...DATABASE_PARAMETERS],
        tags: { Name: db.parameterGroupName },
      },
      child,
    );

    let monitoringRole: aws.iam.Role | undefined;
    if (db.monitoringRoleName !== undefined) {
      monitoringRole = new aws.iam.Role(
        `${n}-db-monitoring`,
        {
          name: db.monitoringRoleName,
          path: model.iamPath,
          description: `Helium ${env} ${region}: RDS Enhanced Monitoring publishes OS metrics`,
          assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", args.account),
        },
        child,
      );
      // What the AWS-managed AmazonRDSEnhancedMonitoringRole grants, scoped to this region's RDSOSMetrics group.
      const logGroup = `arn:aws:logs:${region}:${args.account}:log-group:RDSOSMetrics`;
      const policyName = `${n}-db-monitoring-policy`;
      new aws.iam.RolePolicy(
        policyName,
        {
          role: monitoringRole.name,
          name: "helium-rds-enhanced-monitoring",
          policy: permissionPolicy(policyName, [
            {
              Sid: "EnhancedMonitoringLogGroup",
              Effect: "Allow",
              Action: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
              Resource: `${logGroup}:*`,
            },
            {
              Sid: "EnhancedMonitoringLogStreams",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
              Resource: `${logGroup}:log-stream:*`,
            },
          ]),
        },
        child,
      );
    }

    const replacementKeepers = {
      engine: db.engine,
      dbName: db.dbName,
      username: db.username,
      identifierPrefix: `${db.identifier}-`,
      kmsKeyId: args.kmsKeyArn,
    };
    const finalSnapshotSuffix =
      db.finalSnapshotPrefix === undefined
        ? undefined
        : new random.RandomId(`${n}-db-final-snapshot-suffix`, { byteLength: 4, keepers: replacementKeepers }, child);

    this.instance = new aws.rds.Instance(
      `${n}-db`,
      {
        region,
        // Generated: `<identifier>-<26-character suffix>`; a replacement is created before the old one is deleted.
        identifierPrefix: `${db.identifier}-`,
        engine: db.engine,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        dbName: db.dbName,
        username: db.username,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        port: db.port,
        storageType: "gp3",
        allocatedStorage: db.allocatedStorageGb,
        ...(db.maxAllocatedStorageGb !== undefined ? { maxAllocatedStorage: db.maxAllocatedStorageGb } : {}),
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        publiclyAccessible: false,
        parameterGroupName: parameterGroup.name,
        multiAz: db.multiAz,
        backupRetentionPeriod: db.backupRetentionDays,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: db.deleteAutomatedBackups,
        deletionProtection: db.deletionProtection,
        ...(finalSnapshotSuffix !== undefined
          ? {
              skipFinalSnapshot: false,
              finalSnapshotIdentifier: pulumi.interpolate`${db.finalSnapshotPrefix}-${finalSnapshotSuffix.hex}`,
            }
          : { skipFinalSnapshot: true }),
        autoMinorVersionUpgrade: true,
        // A config change of the major is deliberate; the new parameter group family comes with it.
        allowMajorVersionUpgrade: true,
        // Apply at `pulumi up`, not in the next maintenance window: what the stack shows is what runs, and a
        // replaced parameter group is no longer in use when the old one is deleted.
        applyImmediately: true,
        performanceInsightsEnabled: db.performanceInsights,
        ...(db.performanceInsights
          ? {
              performanceInsightsKmsKeyId: args.kmsKeyArn,
              performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
            }
          : {}),
        monitoringInterval: db.monitoringIntervalSeconds,
        ...(monitoringRole !== undefined ? { monitoringRoleArn: monitoringRole.arn } : {}),
        tags: { Name: db.identifier },
      },
      { parent: this, protect: model.protect },
    );
    this.identifier = this.instance.identifier;
    this.address = this.instance.address;
    this.port = db.port;
    this.dbName = db.dbName;
    this.alarms = db.alarms;
    this.masterUserSecretArn = this.instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");

    // RDS turns rotation on for its managed secret (every 7 days). ECS reads the password only when a task starts,
    // so a rotation would leave running tasks unable to open new connections: off unless configured.
    new aws.secretsmanager.SecretRotation(
      `${n}-db-master-secret-rotation`,
      {
        region,
        secretId: this.masterUserSecretArn,
        ...(db.masterPasswordRotationDays !== undefined
          ? { rotationRules: { automaticallyAfterDays: db.masterPasswordRotationDays }, rotateImmediately: false }
          : { rotationEnabled: false }),
      },
      child,
    );

    this.registerOutputs({
      identifier: this.identifier,
      address: this.address,
      masterUserSecretArn: this.masterUserSecretArn,
    });
  }
}
