/**
 * Seed 004's published single-region cost (~$167/month, ap-south-1) next to one region of Helium's idle
 * production, priced by the same table. docs/cost.md holds the rendered comparison; tests/lib/cost.test.ts checks
 * it against a fresh evaluation of the production stack.
 *
 * The seed's figures are verbatim (/work/shared/seeds/004_3d292e8f2ed95988.txt, "Current Costs (~$167/month)").
 * Its resources (2 NAT gateways, an internet-facing ALB in 2 AZs, 2 nginx + 2 Flask + 1 Redis task, RDS
 * PostgreSQL db.t3.micro Multi-AZ with 20 GB gp3) are re-priced as Helium would run them: ARM64 tasks, and the
 * Graviton class db.t4g.micro (the table has no price for db.t3.micro).
 */
import { estimate, sum } from "./estimate";
import { textTable as table } from "../text-table";
import { type CostKind, type CostResource, type Estimate, GLOBAL } from "./types";

export const SEED_004_REGION = "ap-south-1";

/** The seed's breakdown, verbatim: NAT Gateways $65, RDS Multi-AZ $35, ECS Fargate $40, ALB $20, Other $7. */
export const SEED_004_PUBLISHED = { nat: 65, rds: 35, fargate: 40, alb: 20, other: 7, total: 167 } as const;

const task = (family: string, cpu: number, memory: number): CostResource[] => [
  {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: `seed-${family}-task`,
    region: SEED_004_REGION,
    inputs: { family, cpu: String(cpu), memory: String(memory), runtimePlatform: { cpuArchitecture: "ARM64" } },
  },
  {
    type: "aws:ecs/service:Service",
    name: `seed-${family}`,
    region: SEED_004_REGION,
    inputs: {
      name: family,
      taskDefinition: family,
      launchType: "FARGATE",
      desiredCount: family === "redis" ? 1 : 2,
    },
  },
];

/** The seed's billable resources in one region, as a plan would list them. */
export const SEED_004_RESOURCES: readonly CostResource[] = [
  ...[1, 2].flatMap((i): CostResource[] => [
    { type: "aws:ec2/natGateway:NatGateway", name: `seed-nat-${i}`, region: SEED_004_REGION, inputs: {} },
    { type: "aws:ec2/eip:Eip", name: `seed-nat-eip-${i}`, region: SEED_004_REGION, inputs: { domain: "vpc" } },
  ]),
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "seed-alb",
    region: SEED_004_REGION,
    inputs: { loadBalancerType: "application", internal: false, subnets: ["public-a", "public-b"] },
  },
  ...task("nginx", 256, 512),
  ...task("flask", 512, 1024),
  ...task("redis", 256, 512),
  {
    type: "aws:rds/instance:Instance",
    name: "seed-postgres",
    region: SEED_004_REGION,
    inputs: { instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, storageType: "gp3" },
  },
];

export interface ComparisonRow {
  readonly item: string;
  readonly published?: number;
  readonly repriced?: number;
  readonly helium?: number;
  readonly note: string;
}

/** The comparison of the seed with one region (plus its share of global charges) of a Helium estimate. */
export function seedComparison(helium: Estimate, region: string = SEED_004_REGION): ComparisonRow[] {
  const seed = estimate("seed-004", SEED_004_RESOURCES);
  const of = (e: Estimate, kinds: readonly CostKind[], where = region) =>
    sum(e.lines.filter((l) => l.region === where && kinds.includes(l.kind)));
  const regions = helium.regions.filter((r) => r !== GLOBAL).length;
  const globalShare = sum(helium.lines.filter((l) => l.region === GLOBAL)) / Math.max(regions, 1);
  const grafanaShare = sum(helium.lines.filter((l) => l.kind === "grafana")) / Math.max(regions, 1);
  const fargate = (e: Estimate) => {
    const lines = e.lines.filter((l) => l.region === region && l.kind === "compute");
    const vcpu = lines.filter((l) => l.item.startsWith("fargate-vcpu")).reduce((n, l) => n + l.quantity, 0) / 730;
    const gb = lines.filter((l) => l.item.startsWith("fargate-gb")).reduce((n, l) => n + l.quantity, 0) / 730;
    return `${vcpu} vCPU, ${gb} GB`;
  };
  const seedRdsPriced = sum(seed.lines.filter((l) => l.kind === "database"));
  const rows: ComparisonRow[] = [
    {
      item: "NAT gateways (2, one per AZ)",
      published: SEED_004_PUBLISHED.nat,
      repriced: of(seed, ["nat"]),
      helium: of(helium, ["nat"]),
      note: "same HA; the seed's $65 is 2 × $32.85, the us-east-1 rate, though it runs in Mumbai",
    },
    {
      item: "Public IPv4 (2 NAT EIPs, 2 ALB addresses)",
      repriced: of(seed, ["public-ipv4"]),
      helium: of(helium, ["public-ipv4"]),
      note: "charged since 2024-02-01; not in the seed's figures",
    },
    {
      item: "Application Load Balancer",
      published: SEED_004_PUBLISHED.alb,
      repriced: of(seed, ["load-balancer"]),
      helium: of(helium, ["load-balancer"]),
      note: "1 ALB, 1 LCU assumed",
    },
    {
      item: "Fargate tasks (ARM64, on-demand)",
      published: SEED_004_PUBLISHED.fargate,
      repriced: of(seed, ["compute"]),
      helium: of(helium, ["compute"]),
      note: `seed: nginx 2, Flask 2, Redis 1 (${fargate(seed)}); Helium: frontend 2, backend 2, worker 1 (${fargate(helium)})`,
    },
    {
      item: "Redis",
      helium: of(helium, ["cache"]),
      note: "seed: a Fargate task (counted above), no replica; Helium: ElastiCache primary + replica, automatic failover",
    },
    {
      item: "RDS PostgreSQL Multi-AZ",
      published: SEED_004_PUBLISHED.rds,
      repriced: seedRdsPriced,
      helium: of(helium, ["database"]),
      note: "re-priced as db.t4g.micro (instance only: no gp3 price for Mumbai); Helium has no database yet",
    },
    {
      item: "Interface VPC endpoints",
      helium: of(helium, ["endpoints"]),
      note: "Helium only: private paths to ECR, logs, Secrets Manager and others",
    },
    {
      item: "CloudWatch (alarms, logs, Container Insights, dashboard)",
      helium: of(helium, ["monitoring"]),
      note: "the seed lists none (its 'Other' is $7)",
    },
    {
      item: "Other: S3, Secrets Manager, KMS",
      published: SEED_004_PUBLISHED.other,
      helium: of(helium, ["storage", "secrets", "kms", "dns"]),
      note: "",
    },
    {
      item: `Share of global charges (÷ ${regions} regions)`,
      helium: globalShare + grafanaShare,
      note: "Global Accelerator and the Grafana workspace",
    },
  ];
  const total = (pick: (r: ComparisonRow) => number | undefined) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);
  const sameScope = rows.slice(0, 4);
  const scope = (pick: (r: ComparisonRow) => number | undefined) => sameScope.reduce((n, r) => n + (pick(r) ?? 0), 0);
  return [
    ...rows,
    {
      item: "Total per region",
      published: SEED_004_PUBLISHED.total,
      repriced: total((r) => r.repriced),
      helium: total((r) => r.helium),
      note: "",
    },
    {
      item: "Equal-HA scope: NAT, IPv4, ALB, Fargate",
      published: scope((r) => r.published),
      repriced: scope((r) => r.repriced),
      helium: scope((r) => r.helium),
      note: "what both run the same way (2 AZs, NAT per AZ, 2+ tasks per web service)",
    },
  ];
}

/** The comparison as the Markdown table docs/cost.md holds. */
export function renderSeedComparison(helium: Estimate, region: string = SEED_004_REGION): string {
  const cell = (n: number | undefined) => (n === undefined ? "—" : n.toFixed(2));
  const rows = seedComparison(helium, region).map((r) => [
    r.item,
    cell(r.published),
    cell(r.repriced),
    cell(r.helium),
    r.note,
  ]);
  const header = [
    "USD per month",
    "seed 004 (published)",
    "seed 004 at our prices",
    `Helium production, ${region}`,
    "note",
  ];
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 || i === 4 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Plain-text version for the terminal. */
export function renderSeedComparisonText(helium: Estimate, region: string = SEED_004_REGION): string {
  const cell = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(2));
  return table(
    ["USD per month", "seed 004", "seed @ our prices", `Helium ${region}`],
    seedComparison(helium, region).map((r) => [r.item, cell(r.published), cell(r.repriced), cell(r.helium)]),
  ).join("\n");
}
