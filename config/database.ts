/**
 * `helium:database`: one RDS for PostgreSQL instance per region of the environment, in the data subnets,
 * reachable only from the services that declare `consumes: ["database"]`. Off when the key is absent: the
 * committed stacks plan exactly as before. Every value is checked against RDS's documented limits
 * (lib/aws-constraints/rds.ts); defaults that differ between production and other environments are applied by
 * the resolve step (model/database.ts) and stated here.
 */
import { z } from "zod";
import {
  postgresDatabaseNameProblem,
  postgresEngineVersionProblem,
  postgresMasterUsernameProblem,
  rdsBackupRetentionProblem,
  rdsInstanceClassProblem,
  rdsMonitoringIntervalProblem,
  rdsStorageProblems,
} from "../lib/aws-constraints";
import { addProblems, allowedBy } from "./constraints";
import { percentage, strictObject } from "./primitives";

/** Engine and version used when none is configured. */
export const DEFAULT_DATABASE_ENGINE_VERSION = "17";
/** The seed's instance class (ReptiDex: db.t4g.micro, Graviton). */
export const DEFAULT_DATABASE_INSTANCE_CLASS = "db.t4g.micro";

const alarmsSchema = strictObject({
  cpuPercent: percentage
    .default(80)
    .describe("Average CPUUtilization above which an alarm fires (an OK notice follows recovery). Defaults to 80."),
  freeStorageGb: z
    .number()
    .positive()
    .optional()
    .describe(
      "FreeStorageSpace in GiB below which an alarm fires; less than storageGb. Defaults to 10 % of storageGb (rounded up): with maxStorageGb, storage autoscaling acts at 10 % free, so the alarm means it could not keep up or hit the ceiling.",
    ),
  connections: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "DatabaseConnections above which an alarm fires. Defaults to 70 % of RDS's default max_connections, LEAST(memory/9531392, 5000), from the class's nominal memory (lib/rds.ts). RDS reserves some memory, so the real limit is lower: set 80 % of `SHOW max_connections` for an exact alarm.",
    ),
});

export const databaseSchema = strictObject({
  engine: z
    .literal("postgres")
    .default("postgres")
    .describe("Database engine: postgres (RDS for PostgreSQL). Defaults to postgres."),
  // YAML reads an unquoted 17 as a number: accepted, and the resolve step uses its text (quote a minor like "17.10").
  version: z
    .union([z.string(), z.number()])
    .superRefine(allowedBy((v: string | number) => postgresEngineVersionProblem(String(v))))
    .default(DEFAULT_DATABASE_ENGINE_VERSION)
    .describe(
      `PostgreSQL version: a major (13-18; RDS picks the newest minor and automatic minor upgrades keep it current) or major.minor (pinning a minor shows a diff after RDS upgrades it). The parameter group family follows the major. Defaults to ${DEFAULT_DATABASE_ENGINE_VERSION}.`,
    ),
  instanceClass: z
    .string()
    .superRefine(allowedBy(rdsInstanceClassProblem))
    .default(DEFAULT_DATABASE_INSTANCE_CLASS)
    .describe(
      `DB instance class, db.<family>.<size>: a db.t*, db.m* or db.r* class whose memory lib/rds.ts knows. Defaults to ${DEFAULT_DATABASE_INSTANCE_CLASS}, as in the seed.`,
    ),
  storageGb: z.number().default(20).describe("Initial gp3 storage in GiB (20-65536). Defaults to 20, as in the seed."),
  maxStorageGb: z
    .number()
    .optional()
    .describe(
      "Storage autoscaling ceiling in GiB (more than storageGb, at most 65536). Defaults to none: storage autoscaling off.",
    ),
  multiAz: z
    .boolean()
    .optional()
    .describe(
      "Multi-AZ deployment: a synchronous standby in another zone, automatic failover. Defaults to true in production, false elsewhere.",
    ),
  backupRetentionDays: z
    .number()
    .superRefine(allowedBy(rdsBackupRetentionProblem))
    .optional()
    .describe(
      "Days of automated backups and point-in-time recovery (0-35; 0 turns them off). Defaults to 7 in production, 1 elsewhere.",
    ),
  deletionProtection: z
    .boolean()
    .optional()
    .describe(
      "RDS deletion protection. Defaults to true in production (with a final snapshot on deletion), false elsewhere (no final snapshot: the environment can be destroyed and re-created at once).",
    ),
  name: z
    .string()
    .superRefine(allowedBy(postgresDatabaseNameProblem))
    .default("helium")
    .describe(
      "Database created in the instance (DBName, DB_NAME): 1-63 letters, digits and underscores, starting with a letter. Defaults to helium.",
    ),
  username: z
    .string()
    .superRefine(allowedBy(postgresMasterUsernameProblem))
    .default("helium")
    .describe(
      "Master user name (1-16 letters, digits and underscores). Its password is generated and kept by RDS in Secrets Manager, never in config or state. Defaults to helium.",
    ),
  masterPasswordRotationDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe(
      "Rotate the RDS-managed master password every this many days (1-365). Defaults to none: rotation off, because ECS reads DB_PASSWORD only when a task starts, so after a rotation running tasks fail to open new connections until they are replaced. Turn it on only with an application that re-reads the secret.",
    ),
  performanceInsights: z
    .boolean()
    .default(false)
    .describe(
      "Performance Insights (7 days, encrypted with the region key; shown as CloudWatch Database Insights). Defaults to false.",
    ),
  monitoringIntervalSeconds: z
    .number()
    .superRefine(allowedBy(rdsMonitoringIntervalProblem))
    .default(0)
    .describe(
      "Enhanced Monitoring interval (0, 1, 5, 10, 15, 30 or 60 s; 0 is off). A monitoring role is created when it is on. Defaults to 0.",
    ),
  alarms: alarmsSchema.prefault({}).describe("Database alarm thresholds."),
}).superRefine((db, ctx) => {
  addProblems(ctx, rdsStorageProblems(db.storageGb, db.maxStorageGb));
  const free = db.alarms.freeStorageGb;
  if (free !== undefined && free >= db.storageGb) {
    ctx.addIssue({
      code: "custom",
      path: ["alarms", "freeStorageGb"],
      message: `less than storageGb (${db.storageGb}): free space can never reach the allocated size`,
      input: free,
    });
  }
});
export type DatabaseConfig = z.infer<typeof databaseSchema>;
