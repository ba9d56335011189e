/**
 * Shapes of the cost model: plan resources in, priced monthly lines out. All amounts are US dollars per month
 * (730 hours), before tax, credits, free tiers and discounts (Savings Plans, reserved nodes).
 */

/** A resource of an offline plan (`npm run plan -- <stack> --json`), as far as the cost model reads it. */
export interface CostResource {
  /** Type token, e.g. `aws:ec2/natGateway:NatGateway`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Effective AWS region; null for global resources (Global Accelerator, Route 53, IAM). */
  readonly region: string | null;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** What a line is spent on; the report's columns. */
export const COST_KINDS = [
  "nat",
  "load-balancer",
  "compute",
  "cache",
  "database",
  "edge",
  "endpoints",
  "monitoring",
  "grafana",
  "storage",
  "secrets",
  "kms",
  "public-ipv4",
  "dns",
] as const;
export type CostKind = (typeof COST_KINDS)[number];

export const KIND_LABELS: Readonly<Record<CostKind, string>> = {
  nat: "NAT gateways",
  "load-balancer": "Load balancers",
  compute: "Fargate",
  cache: "ElastiCache",
  database: "RDS",
  edge: "Global Accelerator",
  endpoints: "Interface endpoints",
  monitoring: "CloudWatch",
  grafana: "Managed Grafana",
  storage: "S3",
  secrets: "Secrets Manager",
  kms: "KMS",
  "public-ipv4": "Public IPv4",
  dns: "Route 53",
};

/** The region column of global resources. */
export const GLOBAL = "global";

/** One priced quantity: `quantity` units of the price item `item` in `region`, per month. */
export interface UsageLine {
  /** Region code, or {@link GLOBAL}. */
  readonly region: string;
  readonly kind: CostKind;
  /** Key of a price row (lib/cost/prices.ts), e.g. `nat-gateway-hour`, `elasticache-node-hour:valkey:cache.t3.micro`. */
  readonly item: string;
  /** Units per month, in the price row's unit. */
  readonly quantity: number;
  /** How the quantity was counted, e.g. `2 NAT gateways × 730 h`. */
  readonly basis: string;
  /** Logical names of the resources counted. */
  readonly resources: readonly string[];
  /** Keys of lib/cost/assumptions.ts the quantity depends on. */
  readonly assumptions: readonly string[];
}

/** How far a price can be trusted. */
export type Evidence = "aws-page" | "bill" | "third-party" | "unverified";

/** One row of the dated price table. */
export interface PriceRow {
  readonly item: string;
  /** Regions the price applies to, or {@link GLOBAL} for global services. */
  readonly regions: readonly string[] | typeof GLOBAL;
  readonly usd: number;
  /** Unit of `usd`, e.g. `per hour`, `per GB`, `per month`. */
  readonly unit: string;
  /**
   * `aws-page`: quoted from an AWS page; `bill`: derived from a real AWS bill; `third-party`: a dated third-party
   * page; `unverified`: the research's best figure, not found in any stored page (or copied from another region).
   */
  readonly evidence: Evidence;
  /** Who gave the figure and when, e.g. `cloudburn.io, 2026-02-24`. */
  readonly source: string;
  /** When the figure was read (the research notes' date). */
  readonly retrieved: string;
  /** The AWS pricing page to check it against. */
  readonly url: string;
}

/** A usage line with its price: `usd = quantity × price.usd`. */
export interface CostLine extends UsageLine {
  readonly price?: PriceRow;
  /** Undefined when no price row covers the item in the region (the line is listed as unpriced). */
  readonly usd?: number;
}

/** The estimate of one plan. */
export interface Estimate {
  readonly stack: string;
  readonly lines: readonly CostLine[];
  /** Regions with lines, sorted, {@link GLOBAL} last. */
  readonly regions: readonly string[];
  readonly totalUsd: number;
}
