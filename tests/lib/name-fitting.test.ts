import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { AWS_NAME_KINDS, AWS_NAME_RULES } from "../../lib/aws-name-catalog";
import { awsNameAllowed } from "../../lib/aws-name-rules";
import { NAME_HASH_LENGTH, fitAwsName, stableHash } from "../../lib/name-fitting";

describe("lib/name-fitting", () => {
  it("stableHash is the SHA-256 hex prefix (known vectors)", () => {
    assert.equal(stableHash(""), "e3b0c442");
    assert.equal(stableHash("abc"), "ba7816bf");
    assert.equal(stableHash("abc", 12), "ba7816bf8f01");
  });

  it("keeps a valid name unchanged", () => {
    assert.equal(fitAwsName("targetGroup", "helium-backend-8000-staging-mum"), "helium-backend-8000-staging-mum");
    assert.equal(fitAwsName("s3Bucket", "helium-files-sg"), "helium-files-sg");
  });

  it("fits the staging notifications target group (37 characters) into 32, cut from the middle, hash of the full name", () => {
    const full = "helium-notifications-8000-staging-mum";
    const fitted = fitAwsName("targetGroup", full);
    assert.equal(fitted, `helium-noti-staging-mum-${stableHash(full)}`);
    assert.equal(fitted.length, 32);
    assert.equal(awsNameAllowed("targetGroup", fitted), undefined);
  });

  it("hashes the identity when given, so names that shorten alike stay distinct", () => {
    const a = fitAwsName("targetGroup", "helium-notifications-8000-staging-mum", { identity: "a" });
    const b = fitAwsName("targetGroup", "helium-notifications-8000-staging-mum", { identity: "b" });
    assert.notEqual(a, b);
    assert.ok(a.endsWith(`-${stableHash("a")}`));
  });

  it("appends the hash to a valid name when alwaysHash is set", () => {
    assert.equal(
      fitAwsName("sqsQueue", "helium-work-mum", { alwaysHash: true, identity: "x" }),
      `helium-work-mum-${stableHash("x")}`,
    );
  });

  it("repairs case, characters and doubled hyphens where the kind forbids them", () => {
    const redis = fitAwsName("elasticacheReplicationGroup", "helium-redis-qa--mum");
    assert.equal(redis, `helium-redis-qa-mum-${stableHash("helium-redis-qa--mum")}`);
    const bucket = fitAwsName("s3Bucket", "helium-Files_EU-mum");
    assert.equal(bucket, `helium-files-eu-mum-${stableHash("helium-Files_EU-mum")}`);
    const trailing = fitAwsName("loadBalancer", "helium-alb-qa-");
    assert.equal(trailing, `helium-alb-qa-${stableHash("helium-alb-qa-")}`);
  });

  it("keeps fixed prefixes and suffixes (KMS alias/, IAM path slashes)", () => {
    const alias = fitAwsName("kmsAlias", `alias/helium-${"k".repeat(260)}`);
    assert.ok(alias.startsWith("alias/helium-k"));
    assert.equal(alias.length, 256);
    assert.equal(awsNameAllowed("kmsAlias", alias), undefined);
    const path = fitAwsName("iamPath", "/helium/a b/");
    assert.equal(path, `/helium/a-b-${stableHash("/helium/a b/")}/`);
  });

  it("throws, naming the kind, when nothing usable is left", () => {
    assert.throws(
      () => fitAwsName("elasticacheReplicationGroup", "---"),
      /cannot fit "---" as a elasticacheReplicationGroup name/,
    );
  });

  describe("properties", () => {
    const characters = [..."abcxyzABZ0129-_./ :@+=~#*?&é"];
    const rest = fc.string({ unit: fc.constantFrom(...characters), maxLength: 1100 });

    it("for every kind, any name starting with 'helium' fits: valid, deterministic, unchanged when already valid", () => {
      fc.assert(
        fc.property(fc.constantFrom(...AWS_NAME_KINDS), rest, (kind, tail) => {
          const rule = AWS_NAME_RULES[kind];
          const name = `${rule.fixedPrefix}helium${tail}${rule.fixedSuffix ?? ""}`;
          const fitted = fitAwsName(kind, name);
          assert.equal(awsNameAllowed(kind, fitted), undefined, `${kind}: ${fitted}`);
          assert.equal(fitAwsName(kind, name), fitted);
          if (awsNameAllowed(kind, name) === undefined) assert.equal(fitted, name);
          else assert.ok(fitted.includes(`-${stableHash(name)}`), "an invalid name carries the hash of the full name");
        }),
        { numRuns: 2000 },
      );
    });

    it("distinct names never fit to the same name (hash of the full, untruncated name)", () => {
      fc.assert(
        fc.property(fc.constantFrom(...AWS_NAME_KINDS), rest, rest, (kind, a, b) => {
          fc.pre(a !== b);
          const rule = AWS_NAME_RULES[kind];
          const name = (tail: string) => `${rule.fixedPrefix}helium${tail}${rule.fixedSuffix ?? ""}`;
          assert.notEqual(fitAwsName(kind, name(a)), fitAwsName(kind, name(b)));
        }),
        { numRuns: 2000 },
      );
    });

    it("a fitted name never exceeds the kind's maximum and keeps the hash whole", () => {
      fc.assert(
        fc.property(fc.constantFrom(...AWS_NAME_KINDS), fc.integer({ min: 0, max: 1100 }), (kind, extra) => {
          const rule = AWS_NAME_RULES[kind];
          const name = `${rule.fixedPrefix}helium-${"x".repeat(extra)}${rule.fixedSuffix ?? ""}`;
          const fitted = fitAwsName(kind, name, { alwaysHash: true });
          assert.ok(fitted.length <= rule.maxLength);
          assert.match(fitted, new RegExp(`-[0-9a-f]{${NAME_HASH_LENGTH}}${rule.fixedSuffix ?? ""}$`));
        }),
      );
    });
  });
});
