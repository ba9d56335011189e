/**
 * Every IAM document the program registers went through the program-side check (lib/iam.ts
 * `permissionPolicy` / `trustPolicy` / `serviceTrustPolicy`): at a first preview that check is the only one
 * a document with an unknown ARN gets, because the pack receives it as one unknown string. The check's
 * result has a type of its own (`CheckedDocument`); this test reads the program with the TypeScript
 * checker and requires that type of the document argument of every IAM resource it constructs.
 */
import assert from "node:assert/strict";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../../offline/pulumi-yaml";

/** Resource class → its properties that hold an identity document. */
const DOCUMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  "aws.iam.Role": ["assumeRolePolicy", "inlinePolicies"],
  "aws.iam.RolePolicy": ["policy"],
  "aws.iam.Policy": ["policy"],
  "aws.iam.GroupPolicy": ["policy"],
  "aws.iam.UserPolicy": ["policy"],
};
const PROGRAM_DIRECTORIES = ["components", "stacks", "lib"];

interface CallSite {
  readonly where: string;
  readonly resource: string;
  readonly property: string;
  readonly type: string;
}

function program(): ts.Program {
  const configFile = path.join(PROJECT_ROOT, "tsconfig.json");
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, PROJECT_ROOT);
  const roots = parsed.fileNames.filter((f) =>
    PROGRAM_DIRECTORIES.some((d) => path.relative(PROJECT_ROOT, f).startsWith(`${d}${path.sep}`)),
  );
  return ts.createProgram(roots, parsed.options);
}

/** The document arguments of IAM resource constructions in `source`, with their types. */
function callSites(checker: ts.TypeChecker, source: ts.SourceFile): { sites: CallSite[]; opaque: string[] } {
  const sites: CallSite[] = [];
  const opaque: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const resource = node.expression.getText(source);
      const properties = DOCUMENT_PROPERTIES[resource];
      const args = node.arguments?.[1];
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      const where = `${path.relative(PROJECT_ROOT, source.fileName)}:${line + 1}`;
      if (properties !== undefined) {
        if (args === undefined || !ts.isObjectLiteralExpression(args)) opaque.push(`${where} ${resource}`);
        else
          for (const property of args.properties) {
            const name = property.name?.getText(source);
            if (name === undefined || !properties.includes(name)) continue;
            const type = checker.getTypeAtLocation(ts.isPropertyAssignment(property) ? property.initializer : property);
            sites.push({ where, resource, property: name, type: checker.typeToString(type) });
          }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { sites, opaque };
}

describe("IAM documents are built by the checked builders (lib/iam.ts)", function () {
  this.timeout(120_000);
  let found: { sites: CallSite[]; opaque: string[] };

  before(() => {
    const built = program();
    const checker = built.getTypeChecker();
    const sites: CallSite[] = [];
    const opaque: string[] = [];
    for (const source of built.getSourceFiles()) {
      if (source.isDeclarationFile || source.fileName.includes("node_modules")) continue;
      const one = callSites(checker, source);
      sites.push(...one.sites);
      opaque.push(...one.opaque);
    }
    found = { sites, opaque };
  });

  it("finds the program's IAM resources (roles and role policies of services, flow logs, Grafana, deploy roles)", () => {
    const files = new Set(found.sites.map((s) => s.where.split(":")[0]));
    for (const file of [
      "components/service/roles.ts",
      "components/region/Network.ts",
      "components/observability/grafana.ts",
      "stacks/shared.ts",
    ])
      assert.ok(files.has(file), `${file} among ${[...files].join(", ")}`);
    assert.ok(found.sites.length >= 12, `${found.sites.length} call sites`);
  });

  it("gives each document argument the checked type, and every argument list is visible", () => {
    assert.deepEqual(found.opaque, [], "arguments must be an object literal so the document can be seen");
    const unchecked = found.sites
      .filter((s) => !/\bCheckedDocument\b/.test(s.type))
      .map((s) => `${s.where} ${s.resource}.${s.property}: ${s.type}`);
    assert.deepEqual(unchecked, []);
  });
});
