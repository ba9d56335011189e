/**
 * RDS for PostgreSQL constraints on values that come from config (CreateDBInstance). Sources:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (botocore
 * `rds/2014-10-31` CreateDBInstanceMessage doc strings: the model shapes are plain String/Integer, so only the
 * service enforces these), the storage-autoscaling guide
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html, and the release calendar
 * https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html.
 */
import type { Problem } from "../input-error";
import { KNOWN_INSTANCE_CLASSES, nominalMemoryGib } from "../rds";
import { integerInRange } from "./ranges";

/**
 * PostgreSQL major versions RDS offers (DescribeDBEngineVersions, release calendar): 13 runs only on paid RDS
 * Extended Support, 18 is the newest. Which minor a region still offers is checked by RDS itself.
 */
export const POSTGRES_MAJOR_VERSIONS: readonly number[] = [13, 14, 15, 16, 17, 18];

/** gp3 (and gp2) storage for RDS for PostgreSQL: "Must be an integer from 20 to 65536" GiB (AllocatedStorage). */
export const MIN_GP3_STORAGE_GB = 20;
export const MAX_GP3_STORAGE_GB = 65_536;

/** BackupRetentionPeriod: "Must be a value from 0 to 35". */
export const MAX_BACKUP_RETENTION_DAYS = 35;

/** MonitoringInterval: "Valid Values: 0, 1, 5, 10, 15, 30, 60" seconds (0 turns Enhanced Monitoring off). */
export const MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/**
 * Words PostgreSQL reserves (SQL Key Words appendix, "reserved" and "reserved (can be function or type)"):
 * CreateDBInstance's DBName and MasterUsername "Can't be a word reserved by the specified database engine".
 * https://www.postgresql.org/docs/current/sql-keywords-appendix.html
 */
export const POSTGRES_RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate " +
    "collation column concurrently constraint create cross current_catalog current_date current_role " +
    "current_schema current_time current_timestamp current_user default deferrable desc distinct do else end " +
    "except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into " +
    "is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on " +
    "only or order outer overlaps placing primary references returning right select session_user similar some " +
    "symmetric system_user table tablesample then to trailing true union unique user using variadic verbose " +
    "when where window with"
  ).split(" "),
);

/** Databases every RDS for PostgreSQL instance already has (`rdsadmin` is RDS's own). */
const EXISTING_DATABASES = ["postgres", "template0", "template1", "rdsadmin"];

/**
 * `DBName` for PostgreSQL: "1 to 63 letters, numbers, or underscores. Must begin with a letter … Can't be a word
 * reserved by the specified database engine". Also not one of the databases every instance already has.
 */
export function postgresDatabaseNameProblem(name: string): string | undefined {
  const allowed =
    "1-63 letters, digits and underscores, starting with a letter, not a PostgreSQL reserved word nor postgres, template0, template1 or rdsadmin";
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) return allowed;
  const lower = name.toLowerCase();
  return POSTGRES_RESERVED_WORDS.has(lower) || EXISTING_DATABASES.includes(lower) ? allowed : undefined;
}

/**
 * `MasterUsername`: "1 to 16 letters, numbers, or underscores. First character must be a letter. Can't be a
 * reserved word" (the 2015 model allowed 63 for PostgreSQL; the current one says 16 for every engine, so 16).
 * PostgreSQL also reserves `public` and role names starting with `pg_` (CREATE ROLE), and RDS keeps `rdsadmin`
 * and its `rds_*` roles.
 */
export function postgresMasterUsernameProblem(username: string): string | undefined {
  const allowed =
    "1-16 letters, digits and underscores, starting with a letter; not a PostgreSQL reserved word, public, rdsadmin, or a name starting with pg_ or rds_";
  if (!/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(username)) return allowed;
  const lower = username.toLowerCase();
  if (POSTGRES_RESERVED_WORDS.has(lower) || ["public", "rdsadmin", "rdsrepladmin"].includes(lower)) return allowed;
  return lower.startsWith("pg_") || lower.startsWith("rds_") ? allowed : undefined;
}

/**
 * `DBInstanceClass`: a class of the table lib/rds.ts knows, the burstable (db.t*), general-purpose (db.m*) and
 * memory-optimised (db.r*) families in the sizes of the Amazon RDS User Guide's "Supported DB instance classes"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html). A class
 * outside it (db.x2g, a size of a newer generation) must be added there first: the connections alarm's default
 * comes from its memory. Which of these classes a region and engine version offer, RDS checks.
 */
export function rdsInstanceClassProblem(instanceClass: string): string | undefined {
  return nominalMemoryGib(instanceClass) !== undefined
    ? undefined
    : `an RDS instance class this program knows the memory of (lib/rds.ts): ${KNOWN_INSTANCE_CLASSES}; e.g. db.t4g.micro or db.m7g.large (another class RDS offers needs its memory added there)`;
}

/**
 * Engine version of RDS for PostgreSQL: a major (`17`, RDS picks the newest minor and automatic minor upgrades
 * keep it current) or a major.minor (`17.6`). The major must be one RDS offers.
 */
export function postgresEngineVersionProblem(version: string): string | undefined {
  const allowed = `a PostgreSQL version RDS offers: a major (${POSTGRES_MAJOR_VERSIONS.join(", ")}) or major.minor such as 17.6`;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(version);
  if (match === null) return allowed;
  return POSTGRES_MAJOR_VERSIONS.includes(Number(match[1])) ? undefined : allowed;
}

/** The major of a version {@link postgresEngineVersionProblem} accepts: `17.6` → 17. */
export function postgresMajorVersion(version: string): number {
  return Number(version.split(".")[0]);
}

/** `AllocatedStorage` on gp3: 20-65,536 GiB. */
export function rdsGp3StorageProblem(gb: number): string | undefined {
  return integerInRange(gb, MIN_GP3_STORAGE_GB, MAX_GP3_STORAGE_GB, "GiB");
}

/**
 * Storage and its autoscaling ceiling together (keys `storageGb`, `maxStorageGb`). `MaxAllocatedStorage` is the
 * upper limit RDS may grow the volume to, at most 65,536 GiB; a ceiling not above the initial size could never be
 * used (RDS grows by at least 10 GiB or 10 %), so it must be larger.
 */
export function rdsStorageProblems(storageGb: number, maxStorageGb: number | undefined): Problem[] {
  const problems: Problem[] = [];
  const storage = rdsGp3StorageProblem(storageGb);
  if (storage !== undefined) problems.push({ key: "storageGb", value: storageGb, allowed: storage });
  if (maxStorageGb === undefined) return problems;
  const max = rdsGp3StorageProblem(maxStorageGb);
  if (max !== undefined) problems.push({ key: "maxStorageGb", value: maxStorageGb, allowed: max });
  else if (storage === undefined && maxStorageGb <= storageGb) {
    problems.push({
      key: "maxStorageGb",
      value: maxStorageGb,
      allowed: `more than storageGb (${storageGb}): the ceiling storage autoscaling may grow the volume to`,
    });
  }
  return problems;
}

/** `BackupRetentionPeriod`: 0-35 days (0 turns automated backups and point-in-time recovery off). */
export function rdsBackupRetentionProblem(days: number): string | undefined {
  return integerInRange(days, 0, MAX_BACKUP_RETENTION_DAYS, "days");
}

/** `MonitoringInterval` of Enhanced Monitoring. */
export function rdsMonitoringIntervalProblem(seconds: number): string | undefined {
  return MONITORING_INTERVALS.includes(seconds)
    ? undefined
    : `one of ${MONITORING_INTERVALS.join(", ")} seconds (0: Enhanced Monitoring off)`;
}
