import * as assert from "node:assert/strict";
import { KNOWN_REGION_CODES, REGIONS, defaultAvailabilityZones, isKnownRegion, regionInfo } from "../../lib/regions";

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

  it("keeps names, short codes and CIDR indexes unique across the catalog", () => {
    const infos = [...REGIONS.values()];
    for (const field of ["code", "name", "short", "cidrIndex", "elbLogDeliveryAccountId"] as const) {
      assert.equal(new Set(infos.map((i) => i[field])).size, infos.length, field);
    }
    for (const info of infos) {
      assert.ok(info.azLetters.length >= 2, `${info.code} has at least 2 zones`);
      assert.match(info.elbLogDeliveryAccountId, /^\d{12}$/);
      // Default CIDRs are 10.<10n>.0.0/16 and 10.<100+10n>.0.0/16: the second octet must stay ≤ 255.
      assert.ok(info.cidrIndex >= 1 && 100 + 10 * info.cidrIndex <= 255, `${info.code} cidrIndex`);
    }
    assert.deepEqual([...KNOWN_REGION_CODES].sort(), [...REGIONS.keys()].sort());
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
