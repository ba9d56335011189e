/**
 * The resolved model (a region's PostgreSQL): plain data produced by the pure resolve step (model/*.ts) from validated
 * config and the referenced stacks' outputs, and consumed by components. Every physical name, CIDR,
 * priority, port, key and threshold is decided in the resolve step; components derive nothing that can fail.
 * Nothing here is a Pulumi Output.
 */
/** Alarm thresholds of a region's database (config `helium:database.alarms`, defaults resolved). */
export interface DatabaseAlarmsModel {
  /** Average CPUUtilization, percent. */
  readonly cpuPercent: number;
  /** FreeStorageSpace below which the alarm fires, in bytes (the metric's unit). */
  readonly freeStorageBytes: number;
  /** DatabaseConnections above which the alarm fires. */
  readonly connections: number;
}

/** A region's RDS for PostgreSQL instance (config `helium:database`), fully resolved. */
export interface DatabaseModel {
  /**
   * Readable identifier from the name catalog, e.g. `helium-db-staging-mum`: the `Name` tag, and the prefix of the
   * generated DB instance identifier (`<this>-<suffix>`), so a replacement is created before the old instance is
   * deleted. At most 37 characters (63 minus the 26-character suffix).
   */
  readonly identifier: string;
  /** Readable parameter group name; the group's physical name is generated from it (create-before-delete). */
  readonly parameterGroupName: string;
  /** Readable DB subnet group name; the group's physical name is generated from it. */
  readonly subnetGroupName: string;
  readonly engine: "postgres";
  /** A major (`17`) or major.minor (`17.6`). */
  readonly engineVersion: string;
  /** DB parameter group family of the major, e.g. `postgres17`. */
  readonly parameterGroupFamily: string;
  readonly instanceClass: string;
  /** Initial gp3 storage, GiB. */
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling, GiB; absent: autoscaling off. */
  readonly maxAllocatedStorageGb?: number;
  readonly multiAz: boolean;
  /** 0-35 days. */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /**
   * Set when a final snapshot is taken on deletion (production). A snapshot identifier is held for as long as the
   * snapshot exists, so each instance's final snapshot is named `<this>-<random suffix>`: a later instance never
   * collides with an earlier one's snapshot. Absent: no final snapshot, nothing holds a name after a destroy.
   */
  readonly finalSnapshotPrefix?: string;
  /** Delete automated backups with the instance (outside production). */
  readonly deleteAutomatedBackups: boolean;
  /** DBName, the database consumers get as DB_NAME. */
  readonly dbName: string;
  /** Master user name; RDS generates the password and keeps it in Secrets Manager. */
  readonly username: string;
  readonly port: number;
  /** Rotation period of the RDS-managed master password; absent: rotation off. */
  readonly masterPasswordRotationDays?: number;
  readonly performanceInsights: boolean;
  /** Enhanced Monitoring interval, seconds; 0 is off. */
  readonly monitoringIntervalSeconds: number;
  /** Role RDS assumes to publish Enhanced Monitoring metrics (present when the interval is not 0). */
  readonly monitoringRoleName?: string;
  readonly alarms: DatabaseAlarmsModel;
}
