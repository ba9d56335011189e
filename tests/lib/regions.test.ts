import * as assert from "node:assert/strict";
import {
  KNOWN_REGION_CODES,
  MAX_ADDRESS_SLOT,
  MIN_ADDRESS_SLOT,
  REGIONS,
  type RegionInfo,
  defaultAvailabilityZones,
  isKnownRegion,
  regionCatalogProblems,
  regionInfo,
} from "../../lib/regions";

describe("lib/regions", () => {
  it("knows the seed's three regions with their names and short codes", () => {
    assert.deepEqual(
      ["ap-south-1", "ap-southeast-1", "us-east-1"].map((code) => [regionInfo(code).name, regionInfo(code).short]),
      [
        ["mumbai", "mum"],
        ["singapore", "sg"],
        ["virginia", "va"],
      ],
    );
    assert.equal(regionInfo("ap-south-1").managedGrafana, false, "Amazon Managed Grafana is not offered in Mumbai");
    assert.equal(regionInfo("ap-southeast-1").elbLogDeliveryAccountId, "114774131450");
  });

  it("keeps codes, names, short codes, address slots and ELB accounts unique across the catalog", () => {
    const infos = [...REGIONS.values()];
    for (const field of ["code", "name", "short", "addressSlot", "elbLogDeliveryAccountId"] as const) {
      assert.equal(new Set(infos.map((i) => i[field])).size, infos.length, field);
    }
    for (const info of infos) {
      assert.ok(info.azLetters.length >= 2, `${info.code} has at least 2 zones`);
      assert.match(info.elbLogDeliveryAccountId, /^\d{12}$/);
      const slot = info.addressSlot ?? 0;
      assert.ok(
        Number.isInteger(slot) && slot >= MIN_ADDRESS_SLOT && slot <= MAX_ADDRESS_SLOT,
        `${info.code} addressSlot`,
      );
      assert.equal(info.cidrIndex, info.addressSlot, "the deprecated cidrIndex still reads the slot");
    }
    assert.deepEqual(regionCatalogProblems(infos), []);
    assert.deepEqual([...KNOWN_REGION_CODES].sort(), [...REGIONS.keys()].sort());
    assert.deepEqual(
      ["ap-south-1", "ap-southeast-1", "us-east-1"].map((code) => regionInfo(code).addressSlot),
      [1, 2, 3],
      "the deployed VPCs (10.10, 10.20, 10.30) depend on these slots",
    );
  });

  describe("regionCatalogProblems", () => {
    const good = (): Omit<RegionInfo, "cidrIndex">[] =>
      [...REGIONS.values()].map(({ cidrIndex: _legacy, ...rest }) => ({ ...rest }));
    const keysOf = (regions: Omit<RegionInfo, "cidrIndex">[]) => regionCatalogProblems(regions).map((p) => p.key);

    it("reports a duplicate slot, name, short code, code or ELB account, naming the region that has it", () => {
      const catalog = good();
      catalog[1] = { ...catalog[1], addressSlot: catalog[0].addressSlot, short: catalog[0].short };
      const problems = regionCatalogProblems(catalog);
      assert.deepEqual(
        problems.map((p) => p.key),
        [`${catalog[1].code}.short`, `${catalog[1].code}.addressSlot`],
      );
      assert.match(problems[1].allowed, new RegExp(`${catalog[0].code} has it`));
      const twice = good();
      twice.push({
        ...twice[0],
        name: "elsewhere",
        short: "ew",
        addressSlot: undefined,
        elbLogDeliveryAccountId: "000000000000",
      });
      assert.deepEqual(keysOf(twice), [`${twice[0].code}.code`]);
    });

    it("reports slots outside 1-9 or not integers, and accepts a region without a slot", () => {
      for (const addressSlot of [0, 10, 1.5]) {
        const catalog = good().slice(0, 1);
        catalog[0] = { ...catalog[0], addressSlot };
        assert.deepEqual(keysOf(catalog), ["ap-south-1.addressSlot"], String(addressSlot));
      }
      const slotless = good().slice(0, 1);
      slotless[0] = { ...slotless[0], addressSlot: undefined };
      assert.deepEqual(keysOf(slotless), []);
    });

    it("reports names that would break hyphenated AWS names, too few AZs, bad accounts and codes", () => {
      const [base] = good();
      assert.deepEqual(keysOf([{ ...base, name: "new-york" }]), ["ap-south-1.name"]);
      assert.deepEqual(keysOf([{ ...base, short: "Mum" }]), ["ap-south-1.short"]);
      assert.deepEqual(keysOf([{ ...base, azLetters: ["a"] }]), ["ap-south-1.azLetters"]);
      assert.deepEqual(keysOf([{ ...base, azLetters: ["a", "a"] }]), ["ap-south-1.azLetters"]);
      assert.deepEqual(keysOf([{ ...base, elbLogDeliveryAccountId: "1234" }]), ["ap-south-1.elbLogDeliveryAccountId"]);
      assert.deepEqual(keysOf([{ ...base, code: "mumbai" }]), ["mumbai.code"]);
    });
  });

  it("fails on an unknown region with the list of known ones", () => {
    assert.equal(isKnownRegion("ap-south-1"), true);
    assert.equal(isKnownRegion("ap-south-2"), false);
    assert.throws(
      () => regionInfo("ap-south-2"),
      (e: Error) => e.message.includes('"ap-south-2"') && KNOWN_REGION_CODES.every((code) => e.message.includes(code)),
    );
  });

  it("returns the first usable AZs of a region", () => {
    assert.deepEqual(defaultAvailabilityZones("ap-south-1", 2), ["ap-south-1a", "ap-south-1b"]);
    assert.deepEqual(defaultAvailabilityZones("us-east-1", 3), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    // Tokyo has no usable ap-northeast-1b for new accounts: the catalog skips it.
    assert.deepEqual(defaultAvailabilityZones("ap-northeast-1", 2), ["ap-northeast-1a", "ap-northeast-1c"]);
    assert.throws(
      () => defaultAvailabilityZones("ap-south-1", 4),
      /ap-south-1 offers 3 availability zones.*4 were requested/,
    );
    assert.throws(() => defaultAvailabilityZones("xx-nowhere-1", 2), /Unknown AWS region "xx-nowhere-1"/);
  });
});
