import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { awsNameAllowed } from "../../lib/aws-name-rules";
import { stableHash } from "../../lib/name-fitting";
import {
  ENVIRONMENT_NAME_PATTERN,
  SERVICE_NAME_PATTERN,
  assertAwsName,
  awsNameError,
  backendSecretName,
  clusterName,
  ecsServiceName,
  environmentInfix,
  environmentNameAllowed,
  iamRolePath,
  isPlainSpelling,
  regionScopedName,
  regionalName,
  schemeName,
  serviceNameAllowed,
  serviceRegionalName,
} from "../../lib/naming";
import { KNOWN_REGION_CODES } from "../../lib/regions";

describe("lib/naming", () => {
  it("builds the seed's names (unchanged for production and staging)", () => {
    assert.equal(regionalName("production", "ap-southeast-1", "files"), "helium-files-sg");
    assert.equal(regionalName("staging", "ap-south-1", "files"), "helium-files-staging-mum");
    assert.equal(regionalName("staging", "ap-south-1", "files", "s3Bucket"), "helium-files-staging-mum");
    assert.equal(clusterName("production", "ap-southeast-1"), "helium-singapore-cluster");
    assert.equal(clusterName("staging", "ap-south-1"), "helium-mumbai-staging-cluster");
    assert.equal(clusterName("production", "us-east-1"), "helium-virginia-cluster");
    assert.equal(ecsServiceName("staging", "backend"), "helium-backend-staging-service");
    assert.equal(ecsServiceName("production", "backend"), "helium-backend-service");
    assert.equal(backendSecretName("production"), "helium/backend/production");
    assert.equal(backendSecretName("staging"), "helium/backend/staging");
    assert.equal(iamRolePath("staging"), "/helium/staging/");
    assert.equal(regionScopedName("production", "ap-south-1", "vpc"), "helium-mumbai-vpc");
    assert.equal(
      serviceRegionalName("staging", "ap-south-1", "backend", "8000", "targetGroup"),
      "helium-backend-8000-staging-mum",
    );
    assert.equal(environmentInfix("production"), "");
    assert.equal(environmentInfix("dev"), "-dev");
  });

  it("treats environments as data: any valid name gets an infix, only production is bare", () => {
    assert.equal(regionalName("dev", "us-east-1", "files", "s3Bucket"), "helium-files-dev-va");
    assert.equal(clusterName("qa", "eu-west-1"), "helium-ireland-qa-cluster");
    assert.equal(ecsServiceName("production2", "backend"), "helium-backend-production2-service");
  });

  it("fits a name that is too long: the staging notifications target group", () => {
    const name = serviceRegionalName("staging", "ap-south-1", "notifications", "8000", "targetGroup");
    assert.equal(name.length, 32);
    assert.match(name, /^helium-noti-staging-mum-[0-9a-f]{8}$/);
    assert.equal(awsNameAllowed("targetGroup", name), undefined);
  });

  it("hashes spellings that read two ways, so different inputs never share a name", () => {
    // Service b-staging in production and service b in staging both spell helium-b-staging-mum.
    const production = serviceRegionalName("production", "ap-south-1", "b-staging", "", "ecsTaskFamily");
    const staging = serviceRegionalName("staging", "ap-south-1", "b", "", "ecsTaskFamily");
    assert.equal(staging, "helium-b-staging-mum");
    assert.match(production, /^helium-b-staging-mum-[0-9a-f]{8}$/);
    // Environment dlq's work queue would spell production's dead-letter queue.
    assert.equal(regionalName("production", "ap-south-1", "work-dlq", "sqsQueue"), "helium-work-dlq-mum");
    assert.match(regionalName("dlq", "ap-south-1", "work", "sqsQueue"), /^helium-work-dlq-mum-[0-9a-f]{8}$/);
  });

  it("isPlainSpelling: reserved words anywhere, or hyphens when two parts are variable", () => {
    assert.equal(isPlainSpelling(["production"]), true);
    assert.equal(isPlainSpelling(["eu-west"]), true, "one variable part may contain hyphens");
    assert.equal(isPlainSpelling(["staging", "backend"]), true);
    assert.equal(isPlainSpelling(["staging", "admin-api"]), false);
    assert.equal(isPlainSpelling(["dlq"]), false, "scheme word");
    assert.equal(isPlainSpelling(["x-mum"]), false, "region short code");
    assert.equal(isPlainSpelling(["tokyo"]), false, "region name");
  });

  it("schemeName hashes the full identity: readable name and every input", () => {
    const name = schemeName("sqsQueue", "helium-work-dlq-mum", ["dlq"], ["ap-south-1"]);
    assert.equal(name, `helium-work-dlq-mum-${stableHash("helium-work-dlq-mum|dlq|ap-south-1")}`);
  });

  it("keeps '/'-delimited names readable for any environment (no ambiguity to hash away)", () => {
    assert.equal(iamRolePath("data"), "/helium/data/");
    assert.equal(backendSecretName("eu-west"), "helium/backend/eu-west");
  });

  it("validates environment and service names against the exported patterns", () => {
    assert.equal(environmentNameAllowed("staging"), undefined);
    assert.equal(environmentNameAllowed("a".repeat(16)), undefined);
    for (const bad of ["", "Staging", "1dev", "a".repeat(17), "dev_1"]) assert.ok(environmentNameAllowed(bad), bad);
    assert.equal(serviceNameAllowed("a".repeat(20)), undefined);
    for (const bad of ["", "Admin", "-api", "a".repeat(21), "api.v2"]) assert.ok(serviceNameAllowed(bad), bad);
  });

  it("fails on an unknown region", () => {
    assert.throws(() => regionalName("production", "mars-1", "files"), /Unknown AWS region "mars-1"/);
  });

  it("keeps the old exports: awsNameError and assertAwsName", () => {
    assert.equal(awsNameError("s3Bucket", "helium-files-sg"), undefined);
    assert.throws(() => assertAwsName("s3Bucket", "Bad", "src"), /^Error: src: "Bad"/);
  });

  describe("properties", () => {
    const environment = fc.stringMatching(ENVIRONMENT_NAME_PATTERN);
    const service = fc.stringMatching(SERVICE_NAME_PATTERN);
    const region = fc.constantFrom(...KNOWN_REGION_CODES);

    it("every generic builder yields a valid name for any environment, service and region", () => {
      fc.assert(
        fc.property(environment, service, region, (env, svc, code) => {
          assert.equal(awsNameAllowed("ecsCluster", clusterName(env, code)), undefined);
          assert.equal(awsNameAllowed("ecsService", ecsServiceName(env, svc)), undefined);
          assert.equal(awsNameAllowed("iamPath", iamRolePath(env)), undefined);
          assert.equal(awsNameAllowed("secret", backendSecretName(env)), undefined);
          assert.equal(
            awsNameAllowed(
              "elasticacheReplicationGroup",
              regionalName(env, code, "redis", "elasticacheReplicationGroup"),
            ),
            undefined,
          );
          assert.equal(
            awsNameAllowed("targetGroup", serviceRegionalName(env, code, svc, "65535", "targetGroup")),
            undefined,
          );
        }),
        { numRuns: 1000 },
      );
    });

    it("staging-style environments never share a name with production", () => {
      fc.assert(
        fc.property(environment, region, (env, code) => {
          fc.pre(env !== "production");
          assert.notEqual(
            regionalName(env, code, "files", "s3Bucket"),
            regionalName("production", code, "files", "s3Bucket"),
          );
          assert.notEqual(clusterName(env, code), clusterName("production", code));
        }),
      );
    });
  });
});
