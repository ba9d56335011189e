/**
 * model/references.ts: the shared stack's outputs an environment reads, checked as plain data before the
 * resolve step. Problems name the StackReference, the config key that named it, the output and its value.
 */
import * as assert from "node:assert/strict";
import { InputError } from "../../lib/input-error";
import { SHARED_OUTPUT_NAMES, referenceKey, sharedOutputProblems } from "../../model/references";
import { SHARED_OUTPUTS } from "../fixtures/models";

const STACK = "acme/helium/shared";
const CONFIG_KEY = "helium:sharedStack";
const key = (output: string) => referenceKey(STACK, CONFIG_KEY, output);
const check = (outputs: Record<string, unknown>) => sharedOutputProblems(STACK, CONFIG_KEY, outputs);

describe("shared stack outputs (model/references.ts)", () => {
  it("reads every output an environment uses", () => {
    assert.deepEqual([...SHARED_OUTPUT_NAMES].sort(), [
      "domain",
      "environments",
      "hostedZoneId",
      "imageRegions",
      "registryId",
      "repositories",
    ]);
  });

  it("accepts the shared stack's outputs and returns them as data", () => {
    const { shared, problems } = check({ ...SHARED_OUTPUTS });
    assert.deepEqual(problems, []);
    assert.deepEqual(shared, SHARED_OUTPUTS);
  });

  it("keys a problem as `StackReference <stack> (<config key>).<output>`", () => {
    assert.equal(key("domain"), "StackReference acme/helium/shared (helium:sharedStack).domain");
  });

  it("names an absent output, and says how to fix the reference", () => {
    const { hostedZoneId: _absent, ...rest } = SHARED_OUTPUTS;
    const { shared, problems } = check(rest);
    assert.equal(shared, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].key, key("hostedZoneId"));
    assert.equal(problems[0].value, undefined);
    assert.match(
      problems[0].allowed,
      /deploy acme\/helium\/shared with this program first \(pulumi up -s acme\/helium\/shared\)/,
    );
    assert.match(problems[0].allowed, /or point helium:sharedStack at the right stack/);
  });

  it("names every absent output at once (a stack that is not Helium's shared stack)", () => {
    const { problems } = check({ url: "https://example.com" });
    assert.deepEqual(problems.map((p) => p.key).sort(), SHARED_OUTPUT_NAMES.map(key).sort());
  });

  it("names a malformed output with its value, nested paths included", () => {
    const { problems } = check({
      ...SHARED_OUTPUTS,
      registryId: "12345",
      imageRegions: "ap-south-1",
      repositories: { "helium-backend": { urls: {} } },
      environments: { staging: { addressLane: "10" } },
    });
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    assert.deepEqual(Object.keys(byKey).sort(), [
      key("environments.staging.addressLane"),
      key("imageRegions"),
      key("registryId"),
      key("repositories.helium-backend.arns"),
    ]);
    assert.equal(byKey[key("registryId")].value, "12345");
    assert.match(byKey[key("registryId")].allowed, /^must be a 12-digit AWS account id; deploy acme\/helium\/shared/);
    assert.equal(byKey[key("imageRegions")].value, "ap-south-1");
    assert.equal(byKey[key("environments.staging.addressLane")].value, "10");
    assert.equal(byKey[key("repositories.helium-backend.arns")].value, undefined);
  });

  it("renders as one InputError line per output, with the value", () => {
    const { problems } = check({ ...SHARED_OUTPUTS, registryId: "12345" });
    const error = new InputError('stack "staging"', problems);
    assert.match(
      error.message,
      /^ {2}- StackReference acme\/helium\/shared \(helium:sharedStack\)\.registryId: "12345" — allowed: must be a 12-digit AWS account id/m,
    );
  });
});
