import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  ADDRESS_LANES,
  type DefaultCidr,
  MAX_AZS,
  PRODUCTION_ADDRESS_LANE,
  STAGING_ADDRESS_LANE,
  TIER_OFFSETS,
  cidrSubnet,
  cidrsOverlap,
  defaultRegionVpcCidr,
  defaultVpcCidr,
  findOverlaps,
  formatCidr,
  isValidCidr,
  parseCidr,
  subnetLayout,
  subnetLayoutProblem,
} from "../../lib/cidr";
import { KNOWN_REGION_CODES, REGIONS } from "../../lib/regions";

/** The CIDR of a result that must have one. */
function cidrOf(result: DefaultCidr): string {
  assert.ok("cidr" in result, JSON.stringify(result));
  return result.cidr;
}

/** Any block: a random address masked to a random prefix. */
const anyCidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefixLength]) => {
    const size = 2 ** (32 - prefixLength);
    return formatCidr({ network: Math.floor(address / size) * size, prefixLength });
  });

describe("lib/cidr", () => {
  describe("parseCidr / formatCidr", () => {
    it("parses a.b.c.d/n into network number and prefix, and formats it back", () => {
      assert.deepEqual(parseCidr("10.0.0.0/16"), { network: 10 * 2 ** 24, prefixLength: 16 });
      assert.deepEqual(parseCidr("192.168.1.0/24"), { network: ((192 * 256 + 168) * 256 + 1) * 256, prefixLength: 24 });
      assert.deepEqual(parseCidr("0.0.0.0/0"), { network: 0, prefixLength: 0 });
      for (const text of ["10.0.0.0/16", "172.16.0.0/12", "255.255.255.255/32", "10.110.20.0/24"])
        assert.equal(formatCidr(parseCidr(text)), text);
    });

    it("rejects text that is not a CIDR, with the value in the message", () => {
      for (const text of [
        "10.0.0.0",
        "10.0.0/16",
        "ten.0.0.0/16",
        "10.0.0.0/",
        " 10.0.0.0/16",
        "10.0.0.0/16 ",
        "10.0.0.0/8/8",
        "",
      ]) {
        assert.throws(
          () => parseCidr(text),
          (e: Error) => e.message.includes(`"${text}"`) && /not an IPv4 CIDR/.test(e.message),
          text,
        );
        assert.equal(isValidCidr(text), false, text);
      }
    });

    it("rejects octets above 255 and prefixes above 32", () => {
      assert.throws(() => parseCidr("256.0.0.0/8"), /octets must be 0-255/);
      assert.throws(() => parseCidr("10.0.0.0/33"), /prefix 0-32/);
      assert.equal(isValidCidr("10.0.0.0/33"), false);
    });

    it("rejects host bits and names the network address", () => {
      assert.throws(
        () => parseCidr("10.0.0.1/16"),
        /"10\.0\.0\.1\/16" has host bits set; the network address is 10\.0\.0\.0\/16/,
      );
      assert.throws(() => parseCidr("10.0.1.0/16"), /10\.0\.0\.0\/16/);
      assert.equal(isValidCidr("10.0.0.1/32"), true, "a /32 has no host bits");
    });
  });

  describe("cidrSubnet (Terraform's cidrsubnet)", () => {
    it("matches Terraform's documented results", () => {
      // terraform console: cidrsubnet("10.0.0.0/16", 8, 10) = "10.0.10.0/24", cidrsubnet("172.16.0.0/12", 4, 2) = "172.18.0.0/16",
      // cidrsubnet("10.1.2.0/24", 4, 15) = "10.1.2.240/28".
      assert.equal(cidrSubnet("10.0.0.0/16", 8, 10), "10.0.10.0/24");
      assert.equal(cidrSubnet("172.16.0.0/12", 4, 2), "172.18.0.0/16");
      assert.equal(cidrSubnet("10.1.2.0/24", 4, 15), "10.1.2.240/28");
      assert.equal(cidrSubnet("10.20.0.0/19", 5, 31), "10.20.31.0/24");
      assert.equal(cidrSubnet("10.0.0.0/16", 8, 0), "10.0.0.0/24");
    });

    it("rejects a subnet number that does not fit and prefixes AWS cannot use", () => {
      assert.throws(
        () => cidrSubnet("10.0.0.0/16", 8, 256),
        /subnet number 256 does not fit in 10\.0\.0\.0\/16 with 8 new bits \(0-255\)/,
      );
      assert.throws(() => cidrSubnet("10.0.0.0/16", 8, -1), /subnet number -1/);
      assert.throws(() => cidrSubnet("10.0.0.0/16", 8, 1.5), /subnet number 1\.5/);
      assert.throws(() => cidrSubnet("10.0.0.0/24", 5, 0), /cannot carve \/29 subnets/);
      assert.throws(() => cidrSubnet("10.0.0.0/16", 0, 0), /cannot carve \/16 subnets/);
      assert.throws(() => cidrSubnet("10.0.0.1/16", 8, 0), /host bits/);
    });
  });

  describe("overlaps", () => {
    it("detects containment and partial overlap, not adjacency", () => {
      assert.equal(cidrsOverlap("10.0.0.0/16", "10.0.5.0/24"), true);
      assert.equal(cidrsOverlap("10.0.5.0/24", "10.0.0.0/16"), true);
      assert.equal(cidrsOverlap("10.0.0.0/15", "10.1.0.0/16"), true);
      assert.equal(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16"), false, "adjacent blocks do not overlap");
      assert.equal(cidrsOverlap("10.10.0.0/16", "10.110.0.0/16"), false);
      assert.equal(cidrsOverlap("10.0.0.0/16", "10.0.0.0/16"), true);
    });

    it("lists every overlapping pair by index", () => {
      assert.deepEqual(findOverlaps(["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16"]), []);
      assert.deepEqual(findOverlaps(["10.0.0.0/8", "10.20.0.0/16", "192.168.0.0/16", "10.20.5.0/24"]), [
        [0, 1],
        [0, 3],
        [1, 3],
      ]);
    });
  });

  describe("subnetLayout", () => {
    it("follows the seed: public 10.x.1-2, private 10.x.10-11, data 10.x.20-21", () => {
      assert.deepEqual(subnetLayout("10.0.0.0/16", 2), {
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.10.0/24", "10.0.11.0/24"],
        data: ["10.0.20.0/24", "10.0.21.0/24"],
      });
      assert.deepEqual(subnetLayout("10.120.0.0/16", 3).private, [
        "10.120.10.0/24",
        "10.120.11.0/24",
        "10.120.12.0/24",
      ]);
    });

    it("fits the largest layout in a /19 without tiers colliding or leaving the VPC", () => {
      const layout = subnetLayout("10.20.0.0/19", MAX_AZS);
      const blocks = [...layout.public, ...layout.private, ...layout.data];
      assert.equal(blocks.length, 3 * MAX_AZS);
      assert.deepEqual(findOverlaps(blocks), []);
      for (const block of blocks)
        assert.ok(cidrsOverlap("10.20.0.0/19", block) && parseCidr(block).prefixLength === 24, block);
      assert.equal(layout.data[MAX_AZS - 1], `10.20.${TIER_OFFSETS.data + MAX_AZS - 1}.0/24`);
    });

    it("accepts /16 to /19 VPCs only", () => {
      assert.doesNotThrow(() => subnetLayout("10.0.0.0/16", 2));
      assert.doesNotThrow(() => subnetLayout("10.0.0.0/19", 2));
      for (const vpc of ["10.0.0.0/15", "10.0.0.0/20", "10.0.0.0/28"]) {
        assert.throws(
          () => subnetLayout(vpc, 2),
          new RegExp(`VPC CIDR ${vpc.replace(/[./]/g, "\\$&")} must be a /16 to /19 block`),
        );
      }
    });

    it("accepts 2 to MAX_AZS zones only", () => {
      assert.throws(() => subnetLayout("10.0.0.0/16", 1), /azCount 1 is outside 2-9/);
      assert.throws(() => subnetLayout("10.0.0.0/16", MAX_AZS + 1), /azCount 10 is outside 2-9/);
    });
  });

  describe("subnetLayoutProblem", () => {
    it("returns subnetLayout's message instead of throwing", () => {
      assert.equal(subnetLayoutProblem("10.0.0.0/16", 2), undefined);
      assert.match(subnetLayoutProblem("10.0.0.0/20", 2) ?? "", /must be a \/16 to \/19 block/);
      assert.match(subnetLayoutProblem("10.0.0.0/16", 1) ?? "", /azCount 1 is outside 2-9/);
    });
  });

  describe("defaultVpcCidr (address lane × region slot)", () => {
    it("keeps today's deployed values: production lane 0 and staging lane 10", () => {
      const mumbai = 1;
      const singapore = 2;
      const virginia = 3;
      assert.equal(cidrOf(defaultVpcCidr(PRODUCTION_ADDRESS_LANE, mumbai)), "10.10.0.0/16");
      assert.equal(cidrOf(defaultVpcCidr(PRODUCTION_ADDRESS_LANE, singapore)), "10.20.0.0/16");
      assert.equal(cidrOf(defaultVpcCidr(PRODUCTION_ADDRESS_LANE, virginia)), "10.30.0.0/16");
      assert.equal(cidrOf(defaultVpcCidr(STAGING_ADDRESS_LANE, mumbai)), "10.110.0.0/16");
      assert.equal(cidrOf(defaultRegionVpcCidr(PRODUCTION_ADDRESS_LANE, "ap-southeast-1")), "10.20.0.0/16");
      assert.equal(cidrOf(defaultRegionVpcCidr(STAGING_ADDRESS_LANE, "ap-south-1")), "10.110.0.0/16");
    });

    it("spans 10.10-10.99 for lanes 0-9 and 10.110-10.199 for lanes 10-19", () => {
      assert.equal(cidrOf(defaultVpcCidr(9, 9)), "10.99.0.0/16");
      assert.equal(cidrOf(defaultVpcCidr(19, 9)), "10.199.0.0/16");
      assert.equal(cidrOf(defaultVpcCidr(11, 1)), "10.111.0.0/16");
    });

    it("returns problems, not NaN or a throw, for values out of range or a region without a slot", () => {
      for (const lane of [-1, ADDRESS_LANES, 1.5, Number.NaN]) {
        const result = defaultVpcCidr(lane, 1);
        assert.ok("problems" in result && result.problems.length === 1, String(lane));
        assert.equal(result.problems[0].key, "addressLane");
      }
      for (const slot of [0, 10, 2.5, undefined]) {
        const result = defaultVpcCidr(0, slot);
        assert.ok("problems" in result, String(slot));
        assert.deepEqual(
          result.problems.map((p) => [p.key, p.value]),
          [["addressSlot", slot]],
        );
      }
      const both = defaultVpcCidr(20, 0);
      assert.ok("problems" in both && both.problems.length === 2);
      const unknown = defaultRegionVpcCidr(0, "mars-1");
      assert.ok(
        "problems" in unknown && unknown.problems[0].key === "region" && unknown.problems[0].value === "mars-1",
      );
    });

    it("a region without an address slot: an addressSlot problem with no value (the catalog injected)", () => {
      const catalog = new Map([["ap-northeast-2", { addressSlot: undefined }]]);
      const result = defaultRegionVpcCidr(0, "ap-northeast-2", catalog);
      assert.ok("problems" in result);
      assert.deepEqual(
        result.problems.map((p) => [p.key, p.value]),
        [["addressSlot", undefined]],
      );
    });

    it("every catalog region has a default in every lane, inside 10.0.0.0/8, holding the largest subnet layout", () => {
      for (const code of KNOWN_REGION_CODES) {
        for (let lane = 0; lane < ADDRESS_LANES; lane++) {
          const cidr = cidrOf(defaultRegionVpcCidr(lane, code));
          assert.ok(cidrsOverlap("10.0.0.0/8", cidr) && parseCidr(cidr).prefixLength === 16);
          assert.equal(subnetLayoutProblem(cidr, MAX_AZS), undefined);
        }
      }
    });
  });

  describe("properties", () => {
    it("parseCidr and formatCidr round-trip", () => {
      fc.assert(
        fc.property(anyCidr, (text) => {
          assert.equal(formatCidr(parseCidr(text)), text);
          assert.equal(isValidCidr(text), true);
        }),
      );
    });

    it("a block with any host bit set is rejected", () => {
      fc.assert(
        fc.property(anyCidr, fc.integer({ min: 1, max: 2 ** 31 }), (text, offset) => {
          const { network, prefixLength } = parseCidr(text);
          const size = 2 ** (32 - prefixLength);
          fc.pre(size > 1);
          const hostBits = (offset % (size - 1)) + 1;
          assert.equal(isValidCidr(formatCidr({ network: network + hostBits, prefixLength })), false);
        }),
      );
    });

    it("cidrSubnet: the subnet has the new prefix, lies inside its base, and distinct numbers are disjoint", () => {
      const base = fc
        .tuple(anyCidr, fc.integer({ min: 1, max: 12 }))
        .filter(([b, n]) => parseCidr(b).prefixLength + n <= 28);
      fc.assert(
        fc.property(base, fc.nat(), fc.nat(), ([b, newBits], x, y) => {
          const count = 2 ** newBits;
          const [i, j] = [x % count, y % count];
          const subnet = cidrSubnet(b, newBits, i);
          assert.equal(parseCidr(subnet).prefixLength, parseCidr(b).prefixLength + newBits);
          assert.ok(cidrsOverlap(b, subnet));
          assert.ok(parseCidr(subnet).network >= parseCidr(b).network);
          assert.equal(cidrsOverlap(subnet, cidrSubnet(b, newBits, j)), i === j);
        }),
      );
    });

    it("cidrsOverlap is symmetric and reflexive, and true exactly when one block contains the other", () => {
      fc.assert(
        fc.property(anyCidr, anyCidr, (a, b) => {
          assert.equal(cidrsOverlap(a, b), cidrsOverlap(b, a));
          assert.equal(cidrsOverlap(a, a), true);
          const [x, y] = [parseCidr(a), parseCidr(b)];
          const contains = (outer: typeof x, inner: typeof x) =>
            outer.prefixLength <= inner.prefixLength &&
            Math.floor(inner.network / 2 ** (32 - outer.prefixLength)) ===
              outer.network / 2 ** (32 - outer.prefixLength);
          assert.equal(cidrsOverlap(a, b), contains(x, y) || contains(y, x));
        }),
      );
    });

    it("findOverlaps lists exactly the overlapping pairs, in index order", () => {
      fc.assert(
        fc.property(fc.array(anyCidr, { maxLength: 8 }), (blocks) => {
          const expected: Array<readonly [number, number]> = [];
          for (let i = 0; i < blocks.length; i++)
            for (let j = i + 1; j < blocks.length; j++) if (cidrsOverlap(blocks[i], blocks[j])) expected.push([i, j]);
          assert.deepEqual(findOverlaps(blocks), expected);
        }),
      );
    });

    it("subnetLayout: /24 subnets, all disjoint, inside the VPC, in AZ order", () => {
      const vpc = fc
        .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 16, max: 19 }))
        .map(([address, prefixLength]) => {
          const size = 2 ** (32 - prefixLength);
          return formatCidr({ network: Math.floor(address / size) * size, prefixLength });
        });
      fc.assert(
        fc.property(vpc, fc.integer({ min: 2, max: MAX_AZS }), (cidr, azCount) => {
          const layout = subnetLayout(cidr, azCount);
          const all = [...layout.public, ...layout.private, ...layout.data];
          assert.equal(all.length, 3 * azCount);
          assert.deepEqual(findOverlaps(all), []);
          for (const subnet of all) {
            assert.equal(parseCidr(subnet).prefixLength, 24);
            assert.ok(cidrsOverlap(cidr, subnet));
          }
          for (const tier of [layout.public, layout.private, layout.data]) {
            const networks = tier.map((s) => parseCidr(s).network);
            networks.slice(1).forEach((n, i) => assert.equal(n, networks[i] + 256, "AZ i+1 follows AZ i"));
          }
        }),
      );
    });

    it("distinct (lane, slot) pairs never overlap", () => {
      const pair = fc.tuple(fc.integer({ min: 0, max: ADDRESS_LANES - 1 }), fc.integer({ min: 1, max: 9 }));
      fc.assert(
        fc.property(pair, pair, ([l1, s1], [l2, s2]) => {
          fc.pre(l1 !== l2 || s1 !== s2);
          assert.equal(cidrsOverlap(cidrOf(defaultVpcCidr(l1, s1)), cidrOf(defaultVpcCidr(l2, s2))), false);
        }),
        { numRuns: 2000 },
      );
      // And exhaustively: 180 pairs, 180 distinct blocks.
      const all = [...REGIONS.values()].flatMap((r) =>
        Array.from({ length: ADDRESS_LANES }, (_, lane) => cidrOf(defaultVpcCidr(lane, r.addressSlot))),
      );
      assert.deepEqual(findOverlaps(all), []);
    });
  });
});
