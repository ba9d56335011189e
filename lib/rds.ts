/**
 * Pure facts about RDS instance classes that the resolve step needs: nominal memory, and from it the default
 * `max_connections` of RDS for PostgreSQL. No Pulumi, no config.
 */

/**
 * Sizes and their nominal memory in GiB, per class family letter: the DB instance classes this program knows.
 * Source: Amazon RDS User Guide, "Supported DB instance classes" (hardware specifications),
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html
 */
const MEMORY_GIB_BY_SIZE: Readonly<Record<"t" | "m" | "r", Readonly<Record<string, number>>>> = {
  // Burstable (db.t3, db.t4g): micro 1 GiB … 2xlarge 32 GiB.
  t: { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 },
  // General purpose (db.m5, db.m6g, db.m6i, db.m7g, …): 4 GiB per vCPU.
  m: {
    large: 8,
    xlarge: 16,
    "2xlarge": 32,
    "4xlarge": 64,
    "8xlarge": 128,
    "12xlarge": 192,
    "16xlarge": 256,
    "24xlarge": 384,
  },
  // Memory optimised (db.r5, db.r6g, db.r6i, db.r7g, …): 8 GiB per vCPU.
  r: {
    large: 16,
    xlarge: 32,
    "2xlarge": 64,
    "4xlarge": 128,
    "8xlarge": 256,
    "12xlarge": 384,
    "16xlarge": 512,
    "24xlarge": 768,
  },
};

/**
 * Nominal memory of a `db.<family>.<size>` class in GiB, for the db.t*, db.m* and db.r* families with a digit
 * after the letter (db.t4g, db.m7g, db.r6i, …); undefined for any other class (x2, z1d, serverless, …).
 */
export function nominalMemoryGib(instanceClass: string): number | undefined {
  const match = /^db\.([tmr])\d[a-z0-9-]*\.([a-z0-9]+)$/.exec(instanceClass);
  if (match === null) return undefined;
  return MEMORY_GIB_BY_SIZE[match[1] as "t" | "m" | "r"][match[2]];
}

/** The classes {@link nominalMemoryGib} knows, in words: the families with examples, and their sizes. */
const sizes = (family: keyof typeof MEMORY_GIB_BY_SIZE) => {
  const names = Object.keys(MEMORY_GIB_BY_SIZE[family]);
  return `${names[0]} to ${names[names.length - 1]}`;
};
export const KNOWN_INSTANCE_CLASSES = [
  `db.t<generation> (db.t3, db.t4g) in sizes ${sizes("t")}`,
  `db.m<generation> (db.m5, db.m6g, db.m6i, db.m7g, …) in sizes ${sizes("m")}`,
  `db.r<generation> (db.r5, db.r6g, db.r6i, db.r7g, …) in sizes ${sizes("r")}`,
].join("; ");

/** Bytes of instance memory per connection in RDS for PostgreSQL's default `max_connections`. */
const BYTES_PER_CONNECTION = 9_531_392;
/** The cap in that default. */
const MAX_DEFAULT_CONNECTIONS = 5_000;

/**
 * RDS for PostgreSQL's default `max_connections`, `LEAST({DBInstanceClassMemory/9531392}, 5000)` (AWS
 * Prescriptive Guidance, "Tuning PostgreSQL parameters: max_connections"), from the class's nominal memory.
 * `DBInstanceClassMemory` is the memory left after RDS's own processes, so the real value is lower (most on
 * the smallest classes): treat this as an upper bound. Undefined when the class's memory is not known here.
 */
export function estimatedMaxConnections(instanceClass: string): number | undefined {
  const gib = nominalMemoryGib(instanceClass);
  if (gib === undefined) return undefined;
  return Math.min(Math.floor((gib * 2 ** 30) / BYTES_PER_CONNECTION), MAX_DEFAULT_CONNECTIONS);
}
