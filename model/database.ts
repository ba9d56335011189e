/**
 * Resolve step for a region's database: `helium:database` (validated) becomes a {@link DatabaseModel} with
 * every name, default and threshold decided; {@link databaseProblems} states the rules a DatabaseModel must
 * meet (run by the resolve step through regionProblems and again by the RegionDatabase constructor).
 */
import type { DatabaseConfig } from "../config/database";
import {
  postgresDatabaseNameProblem,
  postgresEngineVersionProblem,
  postgresMajorVersion,
  postgresMasterUsernameProblem,
  rdsBackupRetentionProblem,
  rdsInstanceClassProblem,
  rdsMonitoringIntervalProblem,
  rdsStorageProblems,
} from "../lib/aws-constraints";
import type { Problem } from "../lib/input-error";
import { type AwsNameKind, awsNameError } from "../lib/naming";
import type { RegionNames } from "../lib/physical-names";
import { POSTGRES_PORT } from "../lib/platform";
import { estimatedMaxConnections } from "../lib/rds";
import type { DatabaseModel } from "./types/database";

const GIB = 2 ** 30;

/**
 * The longest readable identifier: the instance identifier is `<identifier>-` plus the provider's 26-character
 * unique suffix (terraform-plugin-sdk `id.PrefixedUniqueId`), and DBInstanceIdentifier is at most 63 characters.
 */
export const MAX_DATABASE_IDENTIFIER_LENGTH = 63 - 26 - 1;

/** Share of the estimated `max_connections` (lib/rds.ts) at which the connections alarm fires by default. */
export const DEFAULT_CONNECTIONS_ALARM_SHARE = 0.7;

/** One region's database from `helium:database`. Config must have passed the schema. */
export function resolveDatabase(
  config: DatabaseConfig,
  names: Pick<RegionNames, "database" | "databaseParameterGroup" | "databaseSubnetGroup" | "databaseMonitoringRole">,
  production: boolean,
): DatabaseModel {
  const estimated = estimatedMaxConnections(config.instanceClass) ?? 0;
  const version = String(config.version);
  return {
    identifier: names.database,
    parameterGroupName: names.databaseParameterGroup,
    subnetGroupName: names.databaseSubnetGroup,
    engine: config.engine,
    engineVersion: version,
    parameterGroupFamily: `postgres${postgresMajorVersion(version)}`,
    instanceClass: config.instanceClass,
    allocatedStorageGb: config.storageGb,
    ...(config.maxStorageGb !== undefined ? { maxAllocatedStorageGb: config.maxStorageGb } : {}),
    multiAz: config.multiAz ?? production,
    backupRetentionDays: config.backupRetentionDays ?? (production ? 7 : 1),
    deletionProtection: config.deletionProtection ?? production,
    // A final snapshot holds its identifier for as long as it exists (DeleteDBInstance: DBSnapshotAlreadyExists);
    // outside production there is none, so nothing blocks destroying and re-creating the environment at once.
    ...(production ? { finalSnapshotPrefix: `${names.database}-final` } : {}),
    deleteAutomatedBackups: !production,
    dbName: config.name,
    username: config.username,
    port: POSTGRES_PORT,
    ...(config.masterPasswordRotationDays !== undefined
      ? { masterPasswordRotationDays: config.masterPasswordRotationDays }
      : {}),
    performanceInsights: config.performanceInsights,
    monitoringIntervalSeconds: config.monitoringIntervalSeconds,
    ...(config.monitoringIntervalSeconds > 0 ? { monitoringRoleName: names.databaseMonitoringRole } : {}),
    alarms: {
      cpuPercent: config.alarms.cpuPercent,
      freeStorageBytes: (config.alarms.freeStorageGb ?? Math.ceil(config.storageGb * 0.1)) * GIB,
      connections: config.alarms.connections ?? Math.floor(estimated * DEFAULT_CONNECTIONS_ALARM_SHARE),
    },
  };
}

/** Every rule a resolved database must meet, keyed by the model's field names (e.g. `engineVersion`). */
export function databaseProblems(model: DatabaseModel): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, value: unknown, allowed: string | undefined) => {
    if (allowed !== undefined) problems.push({ key, value, allowed });
  };
  const names: Array<[string, AwsNameKind, string | undefined]> = [
    ["identifier", "rdsInstanceIdentifier", model.identifier],
    ["parameterGroupName", "dbParameterGroup", model.parameterGroupName],
    ["subnetGroupName", "dbSubnetGroup", model.subnetGroupName],
    ["monitoringRoleName", "iamRole", model.monitoringRoleName],
  ];
  for (const [key, kind, value] of names) if (value !== undefined) add(key, value, awsNameError(kind, value));
  if (model.identifier.length > MAX_DATABASE_IDENTIFIER_LENGTH) {
    add(
      "identifier",
      model.identifier,
      `at most ${MAX_DATABASE_IDENTIFIER_LENGTH} characters: the generated instance identifier adds "-" and a 26-character suffix (63 in all)`,
    );
  }
  if (model.finalSnapshotPrefix !== undefined) {
    add(
      "finalSnapshotPrefix",
      model.finalSnapshotPrefix,
      awsNameError("rdsInstanceIdentifier", model.finalSnapshotPrefix),
    );
  }
  add("engineVersion", model.engineVersion, postgresEngineVersionProblem(model.engineVersion));
  if (postgresEngineVersionProblem(model.engineVersion) === undefined) {
    const family = `postgres${postgresMajorVersion(model.engineVersion)}`;
    if (model.parameterGroupFamily !== family)
      add(
        "parameterGroupFamily",
        model.parameterGroupFamily,
        `${family}, the family of version ${model.engineVersion}`,
      );
  }
  add("instanceClass", model.instanceClass, rdsInstanceClassProblem(model.instanceClass));
  for (const p of rdsStorageProblems(model.allocatedStorageGb, model.maxAllocatedStorageGb)) {
    add(p.key === "storageGb" ? "allocatedStorageGb" : "maxAllocatedStorageGb", p.value, p.allowed);
  }
  add("backupRetentionDays", model.backupRetentionDays, rdsBackupRetentionProblem(model.backupRetentionDays));
  add("dbName", model.dbName, postgresDatabaseNameProblem(model.dbName));
  add("username", model.username, postgresMasterUsernameProblem(model.username));
  if (!Number.isInteger(model.port) || model.port < 1150 || model.port > 65535) {
    add("port", model.port, "an integer port in 1150-65535 (CreateDBInstance Port)");
  }
  add(
    "monitoringIntervalSeconds",
    model.monitoringIntervalSeconds,
    rdsMonitoringIntervalProblem(model.monitoringIntervalSeconds),
  );
  if (model.monitoringIntervalSeconds > 0 !== (model.monitoringRoleName !== undefined)) {
    add(
      "monitoringRoleName",
      model.monitoringRoleName,
      "a role name exactly when monitoringIntervalSeconds is above 0 (Enhanced Monitoring needs MonitoringRoleArn)",
    );
  }
  const rotation = model.masterPasswordRotationDays;
  if (rotation !== undefined && (!Number.isInteger(rotation) || rotation < 1 || rotation > 365)) {
    add("masterPasswordRotationDays", rotation, "an integer in 1-365 days");
  }
  const { alarms } = model;
  if (!(alarms.cpuPercent >= 0 && alarms.cpuPercent <= 100)) add("alarms.cpuPercent", alarms.cpuPercent, "0-100");
  if (!(alarms.freeStorageBytes > 0 && alarms.freeStorageBytes < model.allocatedStorageGb * GIB)) {
    add("alarms.freeStorageBytes", alarms.freeStorageBytes, "more than 0 and less than the allocated storage");
  }
  if (!Number.isInteger(alarms.connections) || alarms.connections < 1) {
    add(
      "alarms.connections",
      alarms.connections,
      `a positive connection count (the memory of ${model.instanceClass} is not known, so set helium:database.alarms.connections)`,
    );
  }
  return problems;
}
