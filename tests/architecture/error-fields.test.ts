/**
 * Error subclasses keep Error's own `stack`, `message` and `name`. Node prints an uncaught error with
 * `util.inspect`, as `pulumi` does a program's (cmd/run `defaultErrorMessage`), and mocha prints a failure's
 * `stack`: an instance field named `stack` or `message`, or a constructor parameter property named `stack`,
 * `message` or `name`, replaces Error's own, and the printed error loses its message or its trace. A class
 * naming itself (`this.name = …`, or a `name` field holding its name) stays allowed. Read with the TypeScript
 * parser, only in files where a class extends something named `…Error`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import * as ts from "typescript";
import { StackEvaluationError } from "../../offline/evaluate";
import { typeScriptFiles } from "../../scripts/test-groups";

const ROOT = path.resolve(__dirname, "..", "..");

/** Files worth parsing: a class in them extends something whose name ends in `Error`. */
const MAY_EXTEND_ERROR = /\bextends\s+[\w.]*Error\b/;
const SHADOWING_FIELDS = new Set(["stack", "message"]);
const SHADOWING_PARAMETERS = new Set(["stack", "message", "name"]);

const isParameterProperty = (parameter: ts.ParameterDeclaration): boolean =>
  (ts.getModifiers(parameter) ?? []).some((m) =>
    [
      ts.SyntaxKind.ReadonlyKeyword,
      ts.SyntaxKind.PublicKeyword,
      ts.SyntaxKind.PrivateKeyword,
      ts.SyntaxKind.ProtectedKeyword,
    ].includes(m.kind),
  );
const isStatic = (member: ts.ClassElement): boolean =>
  (ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : []).some(
    (m) => m.kind === ts.SyntaxKind.StaticKeyword,
  );

/**
 * `file: Class.field` for every class in `source` that extends a `…Error` and declares `stack` or `message`
 * as an instance field, or `stack`, `message` or `name` as a constructor parameter property.
 */
export function shadowedErrorFields(file: string, source: string): string[] {
  if (!MAY_EXTEND_ERROR.test(source)) return [];
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassLike(node)) {
      const base = node.heritageClauses
        ?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)
        ?.types[0]?.expression.getText();
      if (base !== undefined && /(?:^|\.)\w*Error$/.test(base)) {
        const label = `${file}: ${node.name?.text ?? "(anonymous class)"}`;
        for (const member of node.members) {
          if (ts.isPropertyDeclaration(member) && !isStatic(member) && ts.isIdentifier(member.name)) {
            if (SHADOWING_FIELDS.has(member.name.text)) found.push(`${label}.${member.name.text}`);
          }
          if (ts.isConstructorDeclaration(member)) {
            for (const parameter of member.parameters) {
              if (isParameterProperty(parameter) && ts.isIdentifier(parameter.name)) {
                if (SHADOWING_PARAMETERS.has(parameter.name.text)) found.push(`${label}.${parameter.name.text}`);
              }
            }
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true));
  return found;
}

describe("Error subclasses keep Error's own stack, message and name", () => {
  it("no Error subclass in the repository declares a field or parameter property of those names", () => {
    const offenders = typeScriptFiles(ROOT).flatMap((file) =>
      shadowedErrorFields(file, fs.readFileSync(path.join(ROOT, file), "utf8")),
    );
    assert.deepEqual(offenders, []);
  });

  it("the check finds parameter properties and fields, not assignments, statics or nested object types", () => {
    const cases: Record<string, [string, string[]]> = {
      parameter: [
        `class A extends Error {\n  method() { return { a: 1 }; }\n  constructor(readonly stack: string, message: string) {\n    super(message);\n  }\n}`,
        ["f.ts: A.stack"],
      ],
      field: [
        `class B extends pulumi.RunError {\n  // a } brace\n  readonly message: string = "x";\n}`,
        ["f.ts: B.message"],
      ],
      expression: [
        `const C = class extends Error {\n  constructor(public name: string) {\n    super(name);\n  }\n};`,
        ["f.ts: (anonymous class).name"],
      ],
      allowed: [
        `class D extends Error {\n  static message = "m";\n  constructor(opts: { readonly name: string }, readonly stackName = "s") {\n    super("m");\n    this.name = "D";\n  }\n}`,
        [],
      ],
    };
    for (const [label, [source, expected]] of Object.entries(cases))
      assert.deepEqual(shadowedErrorFields("f.ts", source), expected, label);
  });

  it("a StackEvaluationError printed as Node prints an uncaught error shows its name, message and trace", () => {
    const error = new StackEvaluationError("production", 'referenced stack "shared" failed: boom');
    const printed = inspect(error);
    assert.match(printed, /^StackEvaluationError: referenced stack "shared" failed: boom\n\s+at /);
    assert.equal(error.stackName, "production");
  });
});
