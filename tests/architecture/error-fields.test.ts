/**
 * Error subclasses keep Error's own `stack`, `message` and `name`. Node prints an uncaught error with
 * `util.inspect`, as `pulumi` does a program's (cmd/run `defaultErrorMessage`), and mocha prints a failure's
 * `stack`: a class field or constructor parameter property of that name replaces Error's own, and the
 * printed error loses its message or its trace. Assigning `this.name` in the constructor is how a class
 * names itself, and stays allowed.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { StackEvaluationError } from "../../offline/evaluate";
import { typeScriptFiles } from "../../scripts/test-groups";

const ROOT = path.resolve(__dirname, "..", "..");

const ERROR_CLASS = /\bclass\s+(\w+)\s+extends\s+[\w.]*Error\b[^{]*\{/g;
/** A parameter property (`readonly stack: string` in a constructor's parameters) of one of the three names. */
const PARAMETER_PROPERTY = /\b(?:readonly|public|private|protected)\s+(?:readonly\s+)?(stack|message|name)\??\s*:/;
/** A class field of one of the three names at the top level of the class body. */
const FIELD = /^\s*(?:(?:public|private|protected|readonly|declare|override)\s+)*(stack|message|name)\??\s*[:=;]/m;

/** The text of the braces opening at `open`, without them, at depth one only (nested blocks blanked). */
function topLevelBody(source: string, open: number): string {
  let depth = 0;
  let body = "";
  for (let i = open; i < source.length; i++) {
    const char = source[i];
    if (char === "{") depth++;
    if (char === "}" && --depth === 0) return body;
    if (depth === 1 && char !== "{") body += char;
    else if (depth > 1 && char === "\n") body += "\n";
  }
  return body;
}

/** The constructor's parameter list of a class body (its text between the parentheses), or "". */
function constructorParameters(source: string, open: number): string {
  const start = source.indexOf("constructor(", open);
  if (start === -1) return "";
  let depth = 0;
  for (let i = start + "constructor".length; i < source.length; i++) {
    if (source[i] === "(") depth++;
    if (source[i] === ")" && --depth === 0) return source.slice(start, i);
  }
  return "";
}

/** `file: Class.field` for every Error subclass in `source` that declares stack, message or name itself. */
export function shadowedErrorFields(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(ERROR_CLASS)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const body = topLevelBody(source, open);
    const bodyEnd = open + body.length;
    const parameters = constructorParameters(source.slice(0, bodyEnd + 1), open);
    const field = FIELD.exec(body.replace(/constructor\([\s\S]*?\)\s*\n/, ""))?.[1];
    const parameter = PARAMETER_PROPERTY.exec(parameters)?.[1];
    for (const name of [field, parameter]) if (name !== undefined) found.push(`${file}: ${match[1]}.${name}`);
  }
  return found;
}

describe("Error subclasses keep Error's own stack, message and name", () => {
  it("no Error subclass in the repository declares a field or parameter property of those names", () => {
    const self = path.relative(ROOT, __filename); // its examples below are offenders on purpose
    const offenders = typeScriptFiles(ROOT)
      .filter((file) => file !== self)
      .flatMap((file) => shadowedErrorFields(file, fs.readFileSync(path.join(ROOT, file), "utf8")));
    assert.deepEqual(offenders, []);
  });

  it("the check finds a parameter property, a field, and neither in a class that only assigns this.name", () => {
    const parameter = `class A extends Error {\n  constructor(\n    readonly stack: string,\n    message: string,\n  ) {\n    super(message);\n  }\n}`;
    const field = `class B extends pulumi.RunError {\n  readonly message: string = "x";\n  method() { const stack = 1; return stack; }\n}`;
    const named = `class C extends Error {\n  constructor(readonly stackName: string) {\n    super("m");\n    this.name = "C";\n  }\n}`;
    assert.deepEqual(shadowedErrorFields("a.ts", parameter), ["a.ts: A.stack"]);
    assert.deepEqual(shadowedErrorFields("b.ts", field), ["b.ts: B.message"]);
    assert.deepEqual(shadowedErrorFields("c.ts", named), []);
  });

  it("a StackEvaluationError printed as Node prints an uncaught error shows its name, message and trace", () => {
    const error = new StackEvaluationError("production", 'referenced stack "shared" failed: boom');
    const printed = inspect(error);
    assert.match(printed, /^StackEvaluationError: referenced stack "shared" failed: boom\n\s+at /);
    assert.equal(error.stackName, "production");
  });
});
