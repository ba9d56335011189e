/**
 * IPv4 CIDR arithmetic: parsing, subnetting (Terraform's `cidrsubnet`), overlap checks, the subnet layout
 * of a Helium VPC and the default VPC CIDR of an (address lane, region slot) pair.
 * Pure functions so that the network layout can be proven without a cloud.
 */
import type { Problem } from "./input-error";
import { MAX_ADDRESS_SLOT, MIN_ADDRESS_SLOT, REGIONS, type RegionInfo } from "./regions";

/** A parsed IPv4 block. */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0-32. */
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`. Throws when the text is not a CIDR or has host bits set (10.0.0.1/16). */
export function parseCidr(text: string): Ipv4Cidr {
  const match = CIDR_PATTERN.exec(text);
  if (!match) {
    throw new Error(`"${text}" is not an IPv4 CIDR block (expected a.b.c.d/n, e.g. 10.0.0.0/16)`);
  }
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR block (octets must be 0-255 and the prefix 0-32)`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = maskAddress(address, prefixLength);
  if (network !== address) {
    throw new Error(`"${text}" has host bits set; the network address is ${formatCidr({ network, prefixLength })}`);
  }
  return { network, prefixLength };
}

/** True when `text` is an IPv4 CIDR block with no host bits set (what {@link parseCidr} accepts). */
export function isValidCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

function maskAddress(address: number, prefixLength: number): number {
  const size = 2 ** (32 - prefixLength);
  return Math.floor(address / size) * size;
}

/** `a.b.c.d/n` for a parsed block; the inverse of {@link parseCidr}. */
export function formatCidr(cidr: Ipv4Cidr): string {
  const octets: number[] = [];
  let rest = cidr.network;
  for (let i = 0; i < 4; i++) {
    octets.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return `${octets.join(".")}/${cidr.prefixLength}`;
}

/**
 * The `netNum`-th subnet of `newBits` additional prefix bits inside `base`, as Terraform's cidrsubnet:
 * cidrSubnet("10.0.0.0/16", 8, 10) = "10.0.10.0/24".
 */
export function cidrSubnet(base: string, newBits: number, netNum: number): string {
  const parent = parseCidr(base);
  const prefixLength = parent.prefixLength + newBits;
  if (newBits < 1 || prefixLength > 28) {
    throw new Error(`cannot carve /${prefixLength} subnets from ${base} (AWS subnets are /16 to /28)`);
  }
  if (!Number.isInteger(netNum) || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`subnet number ${netNum} does not fit in ${base} with ${newBits} new bits (0-${2 ** newBits - 1})`);
  }
  return formatCidr({ network: parent.network + netNum * 2 ** (32 - prefixLength), prefixLength });
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.network + 2 ** (32 - x.prefixLength);
  const yEnd = y.network + 2 ** (32 - y.prefixLength);
  return x.network < yEnd && y.network < xEnd;
}

/** Every pair of overlapping blocks in the list, by index, for error messages. */
export function findOverlaps(cidrs: readonly string[]): ReadonlyArray<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      if (cidrsOverlap(cidrs[i], cidrs[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}

/** The subnet tiers of a Helium VPC, in the seed's layout (public 10.x.1-2, private 10.x.10-11). */
export type SubnetTier = "public" | "private" | "data";

/** Third-octet offset of each tier's first /24 in a /16, following the seed (public .1, private .10) plus data .20. */
export const TIER_OFFSETS: Readonly<Record<SubnetTier, number>> = { public: 1, private: 10, data: 20 };
/** The most AZs the layout supports: tiers are 10 blocks apart, so up to 9 AZs fit without tiers colliding. */
export const MAX_AZS = 9;

/**
 * Subnet CIDRs per tier for a VPC: /24 blocks at the seed's offsets (10.0.1.0/24, 10.0.10.0/24, …).
 * A /19 VPC holds 32 such blocks, enough for the last data block (20 + 9 AZs - 1 = 28), hence /16-/19.
 */
export function subnetLayout(vpcCidr: string, azCount: number): Readonly<Record<SubnetTier, readonly string[]>> {
  const vpc = parseCidr(vpcCidr);
  if (vpc.prefixLength < 16 || vpc.prefixLength > 19) {
    throw new Error(
      `VPC CIDR ${vpcCidr} must be a /16 to /19 block (AWS allows /16-/28; the subnet layout needs 32 blocks of /21 or larger)`,
    );
  }
  if (azCount < 2 || azCount > MAX_AZS) {
    throw new Error(`azCount ${azCount} is outside 2-${MAX_AZS}`);
  }
  const newBits = 24 - vpc.prefixLength;
  const layout = { public: [] as string[], private: [] as string[], data: [] as string[] };
  for (const tier of Object.keys(TIER_OFFSETS) as SubnetTier[]) {
    for (let az = 0; az < azCount; az++) {
      layout[tier].push(cidrSubnet(vpcCidr, newBits, TIER_OFFSETS[tier] + az));
    }
  }
  return layout;
}

/** Why `vpcCidr` cannot hold the layout for `azCount` zones, or undefined when {@link subnetLayout} accepts it. */
export function subnetLayoutProblem(vpcCidr: string, azCount: number): string | undefined {
  try {
    subnetLayout(vpcCidr, azCount);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Default VPC CIDRs: 20 address lanes (0-19) × 9 region slots (1-9), every one a /16 inside 10.0.0.0/8.
 * Second octet = 10 × slot + lane for lanes 0-9 (10-99), 100 + 10 × slot + (lane − 10) for lanes 10-19
 * (110-199), so distinct pairs never overlap. An environment picks a lane; a region's slot is
 * lib/regions.ts `addressSlot`.
 */
export const ADDRESS_LANES = 20;
/** Production's lane: 10.10, 10.20, 10.30 … as deployed today. */
export const PRODUCTION_ADDRESS_LANE = 0;
/** Staging's lane: 10.110, 10.120 … as deployed today. */
export const STAGING_ADDRESS_LANE = 10;

/** A default VPC CIDR, or the problems that prevent one (keys `addressLane`, `addressSlot`, `region`). */
export type DefaultCidr = { readonly cidr: string } | { readonly problems: readonly Problem[] };

/**
 * The default /16 of address lane `lane` (an integer 0-19) in region slot `regionSlot` (an integer 1-9):
 * `10.<octet>.0.0/16` with octet as in {@link ADDRESS_LANES}. Out-of-range or non-integer values are
 * returned as problems, never thrown and never NaN.
 */
export function defaultVpcCidr(lane: number, regionSlot: number | undefined): DefaultCidr {
  const problems: Problem[] = [];
  if (!Number.isInteger(lane) || lane < 0 || lane >= ADDRESS_LANES) {
    problems.push({ key: "addressLane", value: lane, allowed: `an integer in 0-${ADDRESS_LANES - 1}` });
  }
  if (
    regionSlot === undefined ||
    !Number.isInteger(regionSlot) ||
    regionSlot < MIN_ADDRESS_SLOT ||
    regionSlot > MAX_ADDRESS_SLOT
  ) {
    problems.push({
      key: "addressSlot",
      value: regionSlot,
      allowed: `an integer in ${MIN_ADDRESS_SLOT}-${MAX_ADDRESS_SLOT} (a region without a slot needs an explicit vpcCidr)`,
    });
  }
  if (problems.length > 0 || regionSlot === undefined) return { problems };
  const octet = lane < 10 ? 10 * regionSlot + lane : 100 + 10 * regionSlot + (lane - 10);
  return { cidr: `10.${octet}.0.0/16` };
}

/**
 * {@link defaultVpcCidr} for a region code: a problem keyed `region` when the region is unknown, `addressSlot`
 * (value undefined) when it has no slot. `regions` is the catalog (lib/regions.ts), a parameter for tests.
 */
export function defaultRegionVpcCidr(
  lane: number,
  region: string,
  regions: ReadonlyMap<string, Pick<RegionInfo, "addressSlot">> = REGIONS,
): DefaultCidr {
  const info = regions.get(region);
  if (info === undefined) {
    return {
      problems: [
        { key: "region", value: region, allowed: `a region of lib/regions.ts: ${[...regions.keys()].join(", ")}` },
      ],
    };
  }
  if (info.addressSlot === undefined) {
    return {
      problems: [
        {
          key: "addressSlot",
          value: undefined,
          allowed: `an address slot in lib/regions.ts (${region} has none: set its vpcCidr explicitly)`,
        },
      ],
    };
  }
  return defaultVpcCidr(lane, info.addressSlot);
}
