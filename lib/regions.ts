/**
 * The AWS regions Helium knows how to run in, with the facts our names and policies need.
 *
 * A region is added here once (name, short code, AZ letters, ELB log-delivery account, address slot) and is
 * then usable from stack config alone. Values are AWS's published ones; the ELB account ids are those AWS
 * documents for ALB access logs in regions launched before August 2022. The catalog is checked when this
 * module loads ({@link regionCatalogProblems}), so a bad entry fails every program and test at once.
 */
import type { Problem } from "./input-error";

/** Address slots are 1-9: the tens digit of a default VPC's second octet (lib/cidr.ts defaultVpcCidr). */
export const MIN_ADDRESS_SLOT = 1;
/** See {@link MIN_ADDRESS_SLOT}. */
export const MAX_ADDRESS_SLOT = 9;

/** One region of the catalog: what names, policies and the default network need to know about it. */
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
  /**
   * Address slot (1-9, unique) from which the default VPC CIDR is derived (lib/cidr.ts defaultVpcCidr):
   * production 10.<10×slot>.0.0/16, staging 10.<100+10×slot>.0.0/16. Optional: the nine slots are taken,
   * so a tenth region has none and its stacks must set `vpcCidr` explicitly.
   */
  readonly addressSlot?: number;
  /**
   * The address slot under its former name.
   * @deprecated Use {@link RegionInfo.addressSlot}; this throws for a region without a slot.
   */
  readonly cidrIndex: number;
}

/** A catalog entry as written below; {@link RegionInfo} adds the deprecated `cidrIndex`. */
type CatalogEntry = Omit<RegionInfo, "cidrIndex">;

const catalog: readonly CatalogEntry[] = [
  {
    code: "ap-south-1",
    name: "mumbai",
    short: "mum",
    displayName: "Mumbai",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "718504428378",
    managedGrafana: false,
    addressSlot: 1,
  },
  {
    code: "ap-southeast-1",
    name: "singapore",
    short: "sg",
    displayName: "Singapore",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "114774131450",
    managedGrafana: true,
    addressSlot: 2,
  },
  {
    code: "us-east-1",
    name: "virginia",
    short: "va",
    displayName: "N. Virginia",
    azLetters: ["a", "b", "c", "d", "f"],
    elbLogDeliveryAccountId: "127311923021",
    managedGrafana: true,
    addressSlot: 3,
  },
  {
    code: "us-east-2",
    name: "ohio",
    short: "oh",
    displayName: "Ohio",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "033677994240",
    managedGrafana: true,
    addressSlot: 4,
  },
  {
    code: "us-west-2",
    name: "oregon",
    short: "or",
    displayName: "Oregon",
    azLetters: ["a", "b", "c", "d"],
    elbLogDeliveryAccountId: "797873946194",
    managedGrafana: true,
    addressSlot: 5,
  },
  {
    code: "eu-west-1",
    name: "ireland",
    short: "ie",
    displayName: "Ireland",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "156460612806",
    managedGrafana: true,
    addressSlot: 6,
  },
  {
    code: "eu-central-1",
    name: "frankfurt",
    short: "fra",
    displayName: "Frankfurt",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "054676820928",
    managedGrafana: true,
    addressSlot: 7,
  },
  {
    code: "ap-southeast-2",
    name: "sydney",
    short: "syd",
    displayName: "Sydney",
    azLetters: ["a", "b", "c"],
    elbLogDeliveryAccountId: "783225319266",
    managedGrafana: true,
    addressSlot: 8,
  },
  {
    code: "ap-northeast-1",
    name: "tokyo",
    short: "tyo",
    displayName: "Tokyo",
    azLetters: ["a", "c", "d"],
    elbLogDeliveryAccountId: "582318560864",
    managedGrafana: true,
    addressSlot: 9,
  },
];

function withLegacyIndex(entry: CatalogEntry): RegionInfo {
  return {
    ...entry,
    get cidrIndex(): number {
      if (entry.addressSlot === undefined) {
        throw new Error(`Region ${entry.code} has no address slot; set its vpcCidr explicitly`);
      }
      return entry.addressSlot;
    },
  };
}

/**
 * What is wrong with a region catalog: duplicate codes, names, short codes, address slots or ELB accounts;
 * a slot outside 1-9; names or short codes that are not single lower-case words (they become parts of
 * hyphenated AWS names); fewer than two AZs; an ELB account that is not 12 digits. Keys are `<code>.<field>`.
 */
export function regionCatalogProblems(regions: readonly Omit<RegionInfo, "cidrIndex">[]): Problem[] {
  const problems: Problem[] = [];
  const unique = ["code", "name", "short", "addressSlot", "elbLogDeliveryAccountId"] as const;
  for (const field of unique) {
    const seen = new Map<unknown, string>();
    for (const r of regions) {
      const value = r[field];
      if (value === undefined) continue;
      const other = seen.get(value);
      if (other !== undefined) {
        problems.push({
          key: `${r.code}.${field}`,
          value,
          allowed: `a ${field} no other region uses (${other} has it)`,
        });
      }
      seen.set(value, r.code);
    }
  }
  for (const r of regions) {
    const slot = r.addressSlot;
    if (slot !== undefined && (!Number.isInteger(slot) || slot < MIN_ADDRESS_SLOT || slot > MAX_ADDRESS_SLOT)) {
      problems.push({
        key: `${r.code}.addressSlot`,
        value: slot,
        allowed: `an integer in ${MIN_ADDRESS_SLOT}-${MAX_ADDRESS_SLOT}, or none`,
      });
    }
    for (const field of ["name", "short"] as const) {
      if (!/^[a-z]+$/.test(r[field])) {
        problems.push({ key: `${r.code}.${field}`, value: r[field], allowed: "one lower-case word (a-z)" });
      }
    }
    if (!/^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(r.code)) {
      problems.push({ key: `${r.code}.code`, value: r.code, allowed: "an AWS region code such as ap-south-1" });
    }
    if (r.azLetters.length < 2 || new Set(r.azLetters).size !== r.azLetters.length) {
      problems.push({ key: `${r.code}.azLetters`, value: r.azLetters, allowed: "at least two distinct AZ letters" });
    }
    if (!/^\d{12}$/.test(r.elbLogDeliveryAccountId)) {
      problems.push({
        key: `${r.code}.elbLogDeliveryAccountId`,
        value: r.elbLogDeliveryAccountId,
        allowed: "a 12-digit AWS account id",
      });
    }
  }
  return problems;
}

const catalogProblems = regionCatalogProblems(catalog);
if (catalogProblems.length > 0) {
  throw new Error(
    `lib/regions.ts catalog is invalid:\n${catalogProblems.map((p) => `  - ${p.key}: ${JSON.stringify(p.value)} — allowed: ${p.allowed}`).join("\n")}`,
  );
}

/** The catalog by region code. */
export const REGIONS: ReadonlyMap<string, RegionInfo> = new Map(catalog.map((r) => [r.code, withLegacyIndex(r)]));
/** Every catalog region code, in catalog order. */
export const KNOWN_REGION_CODES: readonly string[] = catalog.map((r) => r.code);

/** Whether `code` is in the catalog. */
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
