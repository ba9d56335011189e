/**
 * scripts/iam-call-sites.ts, the rule `npm run check` applies to the program it type-checks: every IAM
 * document argument has lib/iam.ts's `CheckedDocument` type. Here on a small program of fixture sources
 * (the real program is read by the check step itself, which fails when the rule does).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { iamCallSiteProblems, iamCallSites } from "../../scripts/iam-call-sites";

const ROOT = "/fixture";

const DECLARATIONS = `
export type CheckedDocument = string & { readonly __checked: true };
export declare function permissionPolicy(owner: string): CheckedDocument;
export declare namespace aws {
  namespace iam {
    class Role { constructor(name: string, args: { assumeRolePolicy: string; inlinePolicies?: unknown }); }
    class RolePolicy { constructor(name: string, args: { role: string; policy: string }); }
    class Policy { constructor(name: string, args: { policy: string }); }
  }
}
`;

const SOURCES: Readonly<Record<string, string>> = {
  "lib/iam.ts": DECLARATIONS,
  "components/roles.ts": `import { aws, permissionPolicy } from "../lib/iam";
new aws.iam.RolePolicy("checked", { role: "r", policy: permissionPolicy("checked") });
new aws.iam.RolePolicy("unchecked", { role: "r", policy: '{"Statement":[]}' });
const args = { policy: "{}" };
new aws.iam.Policy("opaque", args);
new aws.iam.Role("role", { assumeRolePolicy: permissionPolicy("role") });
`,
  // Outside components/, stacks/ and lib/: not the program's own resources.
  "tests/fixture.ts": `import { aws } from "../lib/iam";
new aws.iam.Policy("test-only", { policy: "{}" });
`,
};

function fixtureProgram(): ts.Program {
  const options: ts.CompilerOptions = {
    noLib: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const file = (name: string) => SOURCES[path.relative(ROOT, name)];
  host.getSourceFile = (name, version) => {
    const text = file(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, version, true);
  };
  host.fileExists = (name) => file(name) !== undefined;
  host.readFile = (name) => file(name);
  host.directoryExists = (name) => Object.keys(SOURCES).some((f) => path.join(ROOT, f).startsWith(`${name}/`));
  host.getCurrentDirectory = () => ROOT;
  return ts.createProgram(
    Object.keys(SOURCES).map((f) => path.join(ROOT, f)),
    options,
    host,
  );
}

describe("IAM documents are built by the checked builders (scripts/iam-call-sites.ts)", () => {
  const found = iamCallSites(fixtureProgram(), ROOT);

  it("finds the document arguments of IAM resources in the program's directories only", () => {
    assert.deepEqual(
      found.sites.map((s) => `${s.where} ${s.resource}.${s.property}`),
      [
        "components/roles.ts:2 aws.iam.RolePolicy.policy",
        "components/roles.ts:3 aws.iam.RolePolicy.policy",
        "components/roles.ts:6 aws.iam.Role.assumeRolePolicy",
      ],
    );
    assert.deepEqual(found.opaque, ["components/roles.ts:5 aws.iam.Policy"]);
  });

  it("reports an unchecked document and an argument list it cannot see, and passes a checked one", () => {
    const problems = iamCallSiteProblems(found);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /^components\/roles\.ts:5 aws\.iam\.Policy: arguments must be an object literal/);
    assert.match(problems[1], /^components\/roles\.ts:3 aws\.iam\.RolePolicy\.policy: .* is not a CheckedDocument/);
    assert.deepEqual(iamCallSiteProblems({ sites: found.sites.filter((s) => s.where.endsWith(":2")), opaque: [] }), []);
  });

  it("runs in npm run check, on the program the type check built", () => {
    const check = fs.readFileSync(path.join(__dirname, "..", "..", "scripts", "check.ts"), "utf8");
    assert.match(check, /iamCallSites\(program, ROOT\)/);
  });
});
