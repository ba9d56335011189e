/**
 * IPv4 CIDR arithmetic: parsing, subnetting (Terraform's `cidrsubnet`) and overlap checks.
 * Pure functions so that the network layout can be proven without a cloud.
 */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
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
export function findOverlaps(cidrs: readonly string[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
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
export function subnetLayout(vpcCidr: string, azCount: number): Record<SubnetTier, string[]> {
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

/** Address lanes: 20 environments, each with its own default /16 per region (see {@link defaultVpcCidr}). */
export const ADDRESS_LANES = 20;
/** Region address slots 1-9 (lib/regions.ts): the default layout fits 20 lanes × 9 slots inside 10.0.0.0/8. */
export const ADDRESS_SLOTS = 9;

/**
 * The default VPC CIDR of an environment's region: `10.<octet>.0.0/16` with octet `10·slot + lane` for lanes
 * 0-9 and `100 + 10·slot + (lane − 10)` for lanes 10-19. Production (lane 0) keeps 10.10/10.20/10.30 and staging
 * (lane 10) keeps 10.110, as deployed before lanes existed; distinct (lane, slot) pairs never overlap.
 * Returns what is allowed instead of a CIDR when the lane or slot is out of range.
 */
export function defaultVpcCidr(lane: number, slot: number | undefined): { cidr: string } | { allowed: string } {
  if (!Number.isInteger(lane) || lane < 0 || lane >= ADDRESS_LANES) {
    return { allowed: `an address lane 0-${ADDRESS_LANES - 1}` };
  }
  if (slot === undefined || !Number.isInteger(slot) || slot < 1 || slot > ADDRESS_SLOTS) {
    return { allowed: `a region with an address slot 1-${ADDRESS_SLOTS} in lib/regions.ts, or an explicit vpcCidr` };
  }
  const octet = lane < 10 ? 10 * slot + lane : 100 + 10 * slot + (lane - 10);
  return { cidr: `10.${octet}.0.0/16` };
}
