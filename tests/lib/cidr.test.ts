import * as assert from "node:assert/strict";
import {
  MAX_AZS,
  TIER_OFFSETS,
  cidrSubnet,
  cidrsOverlap,
  findOverlaps,
  formatCidr,
  isValidCidr,
  parseCidr,
  subnetLayout,
} from "../../lib/cidr";

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
});
