/**
 * The AWS regions Helium knows how to run in, with the facts our names and policies need.
 *
 * A region is added here once (name, short code, AZ letters, ELB log-delivery account) and is then
 * usable from stack config alone. Values are AWS's published ones; the ELB account ids are those AWS
 * documents for ALB access logs in regions launched before August 2022.
 */
export interface RegionInfo {
  /** The AWS region code, e.g. `ap-southeast-1`. */
  readonly code: string;
  /** Lower-case city name used in cluster and VPC names, e.g. `singapore` → `helium-singapore-cluster`. */
  readonly name: string;
  /** Short code used in names that must stay short or globally unique, e.g. `sg` → `helium-files-sg`. */
  readonly short: string;
  /** Human-readable label for dashboards and docs. */
  readonly displayName: string;
  /** Availability-zone letters that every account can use for Fargate, in preference order. */
  readonly azLetters: readonly string[];
  /** Account that writes ALB access logs in this region (elasticloadbalancing log delivery). */
  readonly elbLogDeliveryAccountId: string;
  /** Whether Amazon Managed Grafana is offered in this region (AWS endpoint list: not in ap-south-1). */
  readonly managedGrafana: boolean;
  /** Position used to derive a non-overlapping default VPC CIDR: 10.<index×10 (+100 outside production)>.0.0/16. */
  readonly cidrIndex: number;
}

const catalog: readonly RegionInfo[] = [
  {
    code: "ap-south-1",
    name: "mumbai",
    short: "mum",
    displayName: "Mumbai",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "718504428378",
    managedGrafana: false,
    cidrIndex: 1,
  },
  {
    code: "ap-southeast-1",
    name: "singapore",
    short: "sg",
    displayName: "Singapore",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "114774131450",
    managedGrafana: true,
    cidrIndex: 2,
  },
  {
    code: "us-east-1",
    name: "virginia",
    short: "va",
    displayName: "N. Virginia",
    azLetters: ["a", "b", "c", "d", "f"],
    elbLogDeliveryAccountId: "127311923021",
    managedGrafana: true,
    cidrIndex: 3,
  },
  {
    code: "us-east-2",
    name: "ohio",
    short: "oh",
    displayName: "Ohio",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "033677994240",
    managedGrafana: true,
    cidrIndex: 4,
  },
  {
    code: "us-west-2",
    name: "oregon",
    short: "or",
    displayName: "Oregon",
    azLetters: ["a", "b", "c", "d"],
    elbLogDeliveryAccountId: "797873946194",
    managedGrafana: true,
    cidrIndex: 5,
  },
  {
    code: "eu-west-1",
    name: "ireland",
    short: "ie",
    displayName: "Ireland",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "156460612806",
    managedGrafana: true,
    cidrIndex: 6,
  },
  {
    code: "eu-central-1",
    name: "frankfurt",
    short: "fra",
    displayName: "Frankfurt",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "054676820928",
    managedGrafana: true,
    cidrIndex: 7,
  },
  {
    code: "ap-southeast-2",
    name: "sydney",
    short: "syd",
    displayName: "Sydney",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "783225319266",
    managedGrafana: true,
    cidrIndex: 8,
  },
  {
    code: "ap-northeast-1",
    name: "tokyo",
    short: "tyo",
    displayName: "Tokyo",
    azLetters: ["a", "c", "d"],
    elbLogDeliveryAccountId: "582318560864",
    managedGrafana: true,
    cidrIndex: 9,
  },
];

export const REGIONS: ReadonlyMap<string, RegionInfo> = new Map(catalog.map((r) => [r.code, r]));
export const KNOWN_REGION_CODES: readonly string[] = catalog.map((r) => r.code);

export function isKnownRegion(code: string): boolean {
  return REGIONS.has(code);
}

/** Looks a region up, failing with the list of known regions rather than returning undefined. */
export function regionInfo(code: string): RegionInfo {
  const info = REGIONS.get(code);
  if (!info) {
    throw new Error(`Unknown AWS region "${code}". Known regions: ${KNOWN_REGION_CODES.join(", ")}.`);
  }
  return info;
}

/** The first `count` usable AZ names of a region, e.g. `["ap-south-1a", "ap-south-1b"]`. */
export function defaultAvailabilityZones(code: string, count: number): string[] {
  const info = regionInfo(code);
  if (count > info.azLetters.length) {
    throw new Error(
      `Region ${code} offers ${info.azLetters.length} availability zones here (${info.azLetters.join(", ")}); ${count} were requested.`,
    );
  }
  return info.azLetters.slice(0, count).map((letter) => `${code}${letter}`);
}
