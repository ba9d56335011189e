/**
 * Every IAM document the program registers goes through the program-side check (lib/iam.ts
 * `permissionPolicy` / `trustPolicy` / `serviceTrustPolicy`): at a first preview that check is the only one
 * a document with an unknown ARN gets, because the pack receives it as one unknown string. The check's
 * result has a type of its own (`CheckedDocument`); this reads the program with the TypeScript checker and
 * requires that type of the document argument of every IAM resource it constructs.
 *
 * Run by `npm run check` (scripts/check.ts) on the program it has already type-checked: building a second
 * program of the same files for this alone cost about 9 s of the suite.
 */
import * as path from "path";
import * as ts from "typescript";

/** Resource class → its properties that hold an identity document. */
export const DOCUMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  "aws.iam.Role": ["assumeRolePolicy", "inlinePolicies"],
  "aws.iam.RolePolicy": ["policy"],
  "aws.iam.Policy": ["policy"],
  "aws.iam.GroupPolicy": ["policy"],
  "aws.iam.UserPolicy": ["policy"],
};

/** The program's own code (not tests, scripts or the offline runtime). */
export const PROGRAM_DIRECTORIES: readonly string[] = ["components", "stacks", "lib"];

export interface CallSite {
  /** `file:line`, relative to the root. */
  readonly where: string;
  readonly resource: string;
  readonly property: string;
  /** The argument's type as the checker prints it. */
  readonly type: string;
}

export interface CallSites {
  readonly sites: readonly CallSite[];
  /** IAM constructions whose arguments are not an object literal, so the document cannot be seen. */
  readonly opaque: readonly string[];
}

function callSitesIn(checker: ts.TypeChecker, source: ts.SourceFile, root: string, into: CallSite[], opaque: string[]) {
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const resource = node.expression.getText(source);
      const properties = DOCUMENT_PROPERTIES[resource];
      if (properties !== undefined) {
        const args = node.arguments?.[1];
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const where = `${path.relative(root, source.fileName)}:${line + 1}`;
        if (args === undefined || !ts.isObjectLiteralExpression(args)) opaque.push(`${where} ${resource}`);
        else
          for (const property of args.properties) {
            const name = property.name?.getText(source);
            if (name === undefined || !properties.includes(name)) continue;
            const type = checker.getTypeAtLocation(ts.isPropertyAssignment(property) ? property.initializer : property);
            into.push({ where, resource, property: name, type: checker.typeToString(type) });
          }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** The document arguments of IAM resource constructions in the program's files under `directories` of `root`. */
export function iamCallSites(
  program: ts.Program,
  root: string,
  directories: readonly string[] = PROGRAM_DIRECTORIES,
): CallSites {
  const checker = program.getTypeChecker();
  const sites: CallSite[] = [];
  const opaque: string[] = [];
  for (const source of program.getSourceFiles()) {
    const relative = path.relative(root, source.fileName);
    if (source.isDeclarationFile || !directories.some((d) => relative.startsWith(`${d}${path.sep}`))) continue;
    callSitesIn(checker, source, root, sites, opaque);
  }
  return { sites, opaque };
}

/** What breaks the rule, one line each; empty when every document argument has the checked type. */
export function iamCallSiteProblems(found: CallSites): string[] {
  return [
    ...found.opaque.map((o) => `${o}: arguments must be an object literal so the document can be seen`),
    ...found.sites
      .filter((s) => !/\bCheckedDocument\b/.test(s.type))
      .map(
        (s) =>
          `${s.where} ${s.resource}.${s.property}: ${s.type} is not a CheckedDocument (build it with permissionPolicy, trustPolicy or serviceTrustPolicy from lib/iam.ts)`,
      ),
  ];
}
