/**
 * The offline plan's command line (scripts/plan-args.ts): every documented form parses, and a typo or a missing
 * value is an error instead of a plain plan.
 */
import * as assert from "node:assert/strict";
import { parsePlanArgs, qualifiedKey, UsageError } from "../../scripts/plan-args";

const STACKS = () => ["local", "production", "shared", "staging"];
const parse = (...argv: string[]) => parsePlanArgs(argv, STACKS);
const fails = (argv: string[], message: RegExp) =>
  assert.throws(
    () => parse(...argv),
    (error: unknown) => error instanceof UsageError && message.test(error.message),
    argv.join(" "),
  );

describe("plan command line", () => {
  it("parses every documented form", () => {
    assert.deepEqual(parse("production"), {
      stack: "production",
      json: false,
      preview: false,
      freshReferences: false,
      overrides: {},
      referenceOverrides: {},
    });
    const all = parse(
      "staging",
      "--json",
      "--preview",
      "--fresh-references",
      "--diff",
      "main",
      "--policy-config",
      "policy-config.json",
      "--timings",
      "t.json",
    );
    assert.deepEqual(
      [all.json, all.preview, all.freshReferences, all.diffBase, all.policyConfigFile, all.timingsFile],
      [true, true, true, "main", "policy-config.json", "t.json"],
    );
    // README's migration notes and scripts/bench.ts.
    const bench = parse(
      "production",
      "--diff",
      "main",
      "--remove-config",
      "helium:production",
      "--config",
      'shared/helium:environments={"production":{"branch":"migrated-demo2","addressLane":0}}',
      "--config",
      "helium:imageTag=v1",
    );
    assert.deepEqual(bench.overrides, { "helium:production": undefined, "helium:imageTag": "v1" });
    assert.deepEqual(bench.referenceOverrides, {
      shared: { "helium:environments": '{"production":{"branch":"migrated-demo2","addressLane":0}}' },
    });
    assert.equal(parse("staging", "--diff=origin/main").diffBase, "origin/main");
  });

  // Fault: `--config imageTag=v2` was set as the key "imageTag", which no program reads: silently no change.
  it("reads a key without a namespace as the project's, as the Pulumi CLI does (Pulumi.yaml's name)", () => {
    assert.equal(qualifiedKey("imageTag"), "helium:imageTag");
    assert.equal(qualifiedKey("aws:region"), "aws:region");
    assert.deepEqual(parse("staging", "--config", "imageTag=v2", "--remove-config", "promoteFrom").overrides, {
      "helium:imageTag": "v2",
      "helium:promoteFrom": undefined,
    });
    assert.deepEqual(parse("production", "--config", 'shared/replicationRegions=["us-east-1"]').referenceOverrides, {
      shared: { "helium:replicationRegions": '["us-east-1"]' },
    });
  });

  // Fault: `--jsno` and `--previw` ran a plain plan and exited 0; `--diff` without a value ran a plain plan.
  it("rejects unknown options, naming the argument and the option it resembles", () => {
    fails(["staging", "--jsno"], /^unknown option --jsno \(did you mean --json\?\)$/);
    fails(["staging", "--previw"], /^unknown option --previw \(did you mean --preview\?\)$/);
    fails(["staging", "--verbose"], /^unknown option --verbose$/);
    fails(["staging", "-j"], /^unknown option -j$/);
    fails(["staging", "--json=yes"], /--json takes no value/);
  });

  it("rejects an option without its value, or given twice", () => {
    fails(["staging", "--diff"], /^--diff needs a value$/);
    fails(["staging", "--diff", "--json"], /^--diff needs a value$/);
    fails(["staging", "--config"], /^--config needs a value$/);
    fails(["staging", "--timings="], /^--timings needs a value$/);
    fails(["staging", "--diff", "a", "--diff", "b"], /^--diff given twice$/);
    fails(["staging", "--config", "imageTag"], /--config takes \[<stack>\/\]<key>=<value>, not "imageTag"/);
    fails(["staging", "--remove-config", "imageTag=v1"], /--remove-config takes \[<stack>\/\]<key>/);
    fails(["staging", "--config", "nosuch/helium:x=1"], /"nosuch" is not a stack \(one of local, production/);
  });

  it("takes exactly one stack and names the stacks otherwise", () => {
    fails([], /^no <stack>; <stack> is one of local, production, shared, staging/);
    fails(["staging", "production"], /^one <stack>, not staging production/);
  });
});
