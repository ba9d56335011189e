/**
 * The dated price table behind `npm run report:cost`. Every figure comes from /work/notes/research-ops.md §6
 * (read 2026-11-29), which cites where it was found; rows the research could not verify, and rows copied from
 * another region because no regional figure was found, are `unverified` and the report prints them as such.
 * Prices are on-demand, Linux, US dollars, before tax, free tiers, Savings Plans and reserved capacity.
 *
 * Item keys: fixed names (`nat-gateway-hour`) or `<family>:<variant>…` for priced variants
 * (`elasticache-node-hour:<engine>:<node type>`, `rds-instance-hour:<class>:<single-az|multi-az>`,
 * `fargate-vcpu-hour:<arm64|x86_64>:<on-demand|spot>`, `fargate-gb-hour:…`).
 */
import { GLOBAL, type PriceRow } from "./types";

/** When the research read these figures. */
export const PRICES_RETRIEVED = "2026-11-29";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";
const VIRGINIA = "us-east-1";
const THREE = [VIRGINIA, MUMBAI, SINGAPORE] as const;

/** A real ap-south-1 Cost Explorer bill quoted in a public budget document (code index id 69250874456, dated 2026-09-18). */
const BILL = "bill 2026-09-16 (ap-south-1 Cost Explorer, quoted in a public budget doc dated 2026-09-18)";

const URL = {
  vpc: "https://aws.amazon.com/vpc/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  fargate: "https://aws.amazon.com/fargate/pricing/",
  elasticache: "https://aws.amazon.com/elasticache/pricing/",
  ga: "https://aws.amazon.com/global-accelerator/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  grafana: "https://aws.amazon.com/grafana/pricing/",
  s3: "https://aws.amazon.com/s3/pricing/",
  secrets: "https://aws.amazon.com/secrets-manager/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  route53: "https://aws.amazon.com/route53/pricing/",
  rds: "https://aws.amazon.com/rds/postgresql/pricing/",
} as const;

type Row = Omit<PriceRow, "retrieved">;
type Variant = readonly [
  regions: readonly string[] | typeof GLOBAL,
  usd: number,
  evidence: Row["evidence"],
  source: string,
];

/** Rows of one item: one per group of regions with its own price and source. */
const item = (name: string, unit: string, url: string, variants: readonly Variant[]): Row[] =>
  variants.map(([regions, usd, evidence, source]) => ({ item: name, regions, usd, unit, evidence, source, url }));

const BEST = "research's best-known figure; not found in a stored page";
const US_ONLY = "us-east-1 figure; regional price not found";

/** Fargate Spot has no fixed price: the research found "~50–70% off on-demand" (fortem.dev, June 2026). */
export const FARGATE_SPOT_DISCOUNT = 0.6;

const FARGATE_ARM: readonly Row[] = [
  ...item("fargate-vcpu-hour:arm64:on-demand", "per vCPU-hour", URL.fargate, [
    [[VIRGINIA], 0.03238, "third-party", 'vantage.sh; fortem.dev ("verified June 2026")'],
    [[MUMBAI], 0.02383, "bill", `${BILL} (APS3-Fargate-ARM-vCPU-Hours; below us-east-1, which is unusual: check)`],
    [[SINGAPORE], 0.04045, "unverified", BEST],
  ]),
  ...item("fargate-gb-hour:arm64:on-demand", "per GB-hour", URL.fargate, [
    [[VIRGINIA], 0.00356, "third-party", 'vantage.sh; fortem.dev ("verified June 2026")'],
    [
      [MUMBAI],
      0.00262,
      "unverified",
      "not found; derived: the bill's vCPU price × us-east-1's GB:vCPU ratio (0.00356 / 0.03238)",
    ],
    [[SINGAPORE], 0.00442, "unverified", BEST],
  ]),
];

const FARGATE_SPOT: readonly Row[] = FARGATE_ARM.map((row) => ({
  ...row,
  item: row.item.replace(":on-demand", ":spot"),
  usd: Number((row.usd * (1 - FARGATE_SPOT_DISCOUNT)).toFixed(6)),
  evidence: "unverified",
  source: `on-demand × (1 − ${FARGATE_SPOT_DISCOUNT}); Spot prices are dynamic, ~50–70% off on-demand (fortem.dev, June 2026); ARM64 on Spot supported since 2024-09-06`,
}));

/** ElastiCache node prices: only us-east-1 Redis OSS was found; Valkey is −20 %, other regions reuse it. */
function elastiCacheRows(
  nodeType: string,
  redisUsd: number,
  redisEvidence: Row["evidence"],
  redisSource: string,
): Row[] {
  const valkeyUsd = Number((redisUsd * 0.8).toFixed(5));
  const elsewhere = "regional price not found; the us-east-1 figure is used";
  return [
    ...item(`elasticache-node-hour:redis:${nodeType}`, "per node-hour", URL.elasticache, [
      [[VIRGINIA], redisUsd, redisEvidence, redisSource],
      [[MUMBAI, SINGAPORE], redisUsd, "unverified", elsewhere],
    ]),
    ...item(`elasticache-node-hour:valkey:${nodeType}`, "per node-hour", URL.elasticache, [
      [
        [VIRGINIA],
        valkeyUsd,
        "unverified",
        "Redis OSS price − 20% (Valkey node discount, not confirmed on an AWS page)",
      ],
      [[MUMBAI, SINGAPORE], valkeyUsd, "unverified", elsewhere],
    ]),
  ];
}

const NAT: readonly Variant[] = [
  [[VIRGINIA], 0.045, "third-party", "cloudburn.io (2026-02-24), usage.ai (May 2026)"],
  [[MUMBAI], 0.056, "bill", `${BILL} (APS3-NatGateway-Hours)`],
  [[SINGAPORE], 0.059, "third-party", "basavytix.com (undated)"],
];

const ROWS: readonly Row[] = [
  // VPC: NAT gateways and public IPv4
  ...item("nat-gateway-hour", "per hour", URL.vpc, NAT),
  ...item("nat-gateway-gb", "per GB processed", URL.vpc, NAT),
  ...item("public-ipv4-hour", "per address-hour", URL.vpc, [
    [
      [...THREE],
      0.005,
      "third-party",
      'community.aws (2024-02-08): "Effective February 1, 2024, every resource with a Public IPv4 address … $0.005 per IP per hour"; AWS announcement https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/',
    ],
  ]),
  // Elastic Load Balancing
  ...item("alb-hour", "per hour", URL.elb, [
    [[VIRGINIA], 0.0225, "unverified", BEST],
    [[MUMBAI], 0.0239, "bill", `${BILL} (APS3-LoadBalancerUsage)`],
    [[SINGAPORE], 0.0252, "unverified", BEST],
  ]),
  ...item("alb-lcu-hour", "per LCU-hour", URL.elb, [[[...THREE], 0.008, "unverified", BEST]]),
  // Fargate and ElastiCache
  ...FARGATE_ARM,
  ...FARGATE_SPOT,
  ...elastiCacheRows(
    "cache.t3.micro",
    0.017,
    "third-party",
    "dragonflydb.io/finops/elasticache/cache.t3.micro (undated)",
  ),
  ...elastiCacheRows("cache.t4g.micro", 0.016, "unverified", BEST),
  // Global Accelerator
  ...item("accelerator-hour", "per accelerator-hour", URL.ga, [
    [
      GLOBAL,
      0.025,
      "aws-page",
      'AWS pricing page (stored copy): "For every full or partial hour when an accelerator runs in your account, you are charged $0.025"',
    ],
  ]),
  // PrivateLink
  ...item("interface-endpoint-az-hour", "per endpoint-AZ-hour", URL.privatelink, [
    [[VIRGINIA], 0.01, "third-party", "awsnegotiations.com (May 2026)"],
    [[MUMBAI], 0.011, "unverified", BEST],
    [[SINGAPORE], 0.013, "unverified", BEST],
  ]),
  // CloudWatch
  ...item("alarm-metric-month", "per alarm metric-month (standard resolution)", URL.cloudwatch, [
    [[VIRGINIA], 0.1, "third-party", "cloudburn.io (Feb 2026), factualminds.com"],
    [[MUMBAI, SINGAPORE], 0.1, "unverified", US_ONLY],
  ]),
  ...item("high-resolution-alarm-metric-month", "per alarm metric-month (period < 60 s)", URL.cloudwatch, [
    [[...THREE], 0.3, "unverified", "not in the research; AWS's long-standing figure, from memory"],
  ]),
  ...item("custom-metric-month", "per metric-month (first 10,000)", URL.cloudwatch, [
    [[VIRGINIA], 0.3, "third-party", "signoz.io (2026-02-15)"],
    [[MUMBAI, SINGAPORE], 0.3, "unverified", `${US_ONLY}; the research notes APAC is higher`],
  ]),
  ...item("logs-ingest-gb", "per GB ingested (Standard class)", URL.cloudwatch, [
    [[VIRGINIA], 0.5, "third-party", "factualminds.com"],
    [[MUMBAI], 0.67, "unverified", BEST],
    [[SINGAPORE], 0.7, "unverified", BEST],
  ]),
  ...item("dashboard-month", "per dashboard-month (the account's first 3 are free; not applied)", URL.cloudwatch, [
    [[...THREE], 3, "unverified", "not in the research; AWS's long-standing figure, from memory"],
  ]),
  // Managed Grafana
  ...item(
    "grafana-editor-user-month",
    "per active editor or admin (service accounts count) per workspace-month",
    URL.grafana,
    [
      [
        [...THREE],
        9,
        "aws-page",
        'AWS pricing page (jp/tr copies): "Editor license is $9 per active editor or administrator user per workspace"; user guide: "Each service account is considered a user for billing purposes."',
      ],
    ],
  ),
  ...item("grafana-viewer-user-month", "per active viewer per workspace-month", URL.grafana, [
    [[...THREE], 5, "aws-page", "AWS pricing page (jp/tr copies)"],
  ]),
  // S3, Secrets Manager, KMS
  ...item("s3-standard-gb-month", "per GB-month (first 50 TB)", URL.s3, [
    [[VIRGINIA], 0.023, "third-party", "devnotes.tech, deepeshsoni.com"],
    [[MUMBAI, SINGAPORE], 0.025, "unverified", BEST],
  ]),
  ...item("secret-month", "per secret-month", URL.secrets, [
    [[VIRGINIA], 0.4, "third-party", "hivebook.wiki"],
    [[MUMBAI, SINGAPORE], 0.4, "unverified", US_ONLY],
  ]),
  ...item("kms-key-month", "per customer managed key-month", URL.kms, [
    [[...THREE], 1, "third-party", "cloudburn.io (2026-03-14), wring.co: the same price in every region"],
  ]),
  // Route 53
  ...item("hosted-zone-month", "per hosted zone-month (first 25)", URL.route53, [
    [GLOBAL, 0.5, "third-party", "eatsip365.com"],
  ]),
  ...item("health-check-month", "per health check-month (AWS endpoint)", URL.route53, [
    [GLOBAL, 0.5, "unverified", BEST],
  ]),
  ...item(
    "health-check-feature-month",
    "per optional feature (HTTPS, 10 s interval, string match, latency) per health check-month",
    URL.route53,
    [[GLOBAL, 1, "unverified", 'research: "about $1 each for AWS endpoints"']],
  ),
  // RDS for PostgreSQL
  ...item("rds-instance-hour:db.t4g.micro:single-az", "per instance-hour", URL.rds, [
    [[VIRGINIA], 0.016, "third-party", "infratally.com (2026)"],
    [[MUMBAI], 0.021, "unverified", "derived: half the bill's Multi-AZ price"],
  ]),
  ...item("rds-instance-hour:db.t4g.micro:multi-az", "per instance-hour", URL.rds, [
    [[VIRGINIA], 0.032, "third-party", "infratally.com (2026)"],
    [[MUMBAI], 0.042, "bill", `${BILL} (APS3-Multi-AZUsage:db.t4g.micro)`],
  ]),
  ...item("rds-gp3-gb-month", "per GB-month (Multi-AZ: primary and standby both count)", URL.rds, [
    [
      [VIRGINIA],
      0.115,
      "third-party",
      'usage.ai (June 2026); RDS guide: Multi-AZ storage is "Charged per GB-month for the storage provisioned for both the primary and standby"',
    ],
  ]),
];

/** The price table, one row per item per group of regions with the same price. */
export const PRICE_TABLE: readonly PriceRow[] = ROWS.map((row) => ({ ...row, retrieved: PRICES_RETRIEVED }));

/** The row pricing `item` in `region` (a region code or {@link GLOBAL}), or undefined when there is none. */
export function findPrice(
  item: string,
  region: string,
  table: readonly PriceRow[] = PRICE_TABLE,
): PriceRow | undefined {
  return table.find(
    (row) => row.item === item && (row.regions === GLOBAL ? region === GLOBAL : row.regions.includes(region)),
  );
}
