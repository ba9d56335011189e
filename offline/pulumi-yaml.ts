/**
 * Reads `Pulumi.<stack>.yaml` into the flat config map the Pulumi engine hands a program
 * (`namespace:key` → text, structured values as JSON), as `pulumi up` would.
 *
 * Encrypted values (`secure: …`) cannot be decrypted without the stack's secrets provider, so they become
 * a recognisable placeholder and their key is marked secret, exactly as the engine marks it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The project's name (`name:` in Pulumi.yaml): the namespace of a config key written without one. */
export function readProjectName(root: string = PROJECT_ROOT): string {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown } | null;
  if (typeof project?.name !== "string" || project.name === "") throw new Error(`${root}/Pulumi.yaml names no project`);
  return project.name;
}

export const PROJECT_NAME = readProjectName();

export interface StackConfigFile {
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

function isSecure(value: unknown): value is { secure: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

/** Replaces every `secure:` leaf with a placeholder; reports whether any were found. */
function replaceSecureLeaves(value: unknown, keyPath: string, found: { any: boolean }): unknown {
  if (isSecure(value)) {
    found.any = true;
    return `mock-secret:${keyPath}`;
  }
  if (Array.isArray(value)) return value.map((v, i) => replaceSecureLeaves(v, `${keyPath}[${i}]`, found));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceSecureLeaves(v, `${keyPath}.${k}`, found)]),
    );
  }
  return value;
}

/** Converts the parsed `config:` block of a stack file into the engine's flat map. */
export function flattenStackConfig(configBlock: Record<string, unknown>): StackConfigFile {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(configBlock)) {
    const key = rawKey.includes(":") ? rawKey : `${PROJECT_NAME}:${rawKey}`;
    const found = { any: false };
    const value = replaceSecureLeaves(rawValue, key, found);
    if (found.any) secretKeys.push(key);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys };
}

/** Parses YAML text of a stack file; duplicate keys (e.g. a service declared twice) are an error. */
export function parseStackFile(text: string, fileName: string): StackConfigFile {
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new Error(`${fileName}: ${(error as Error).message}`, { cause: error });
  }
  const configBlock = (document as { config?: Record<string, unknown> } | null)?.config ?? {};
  return flattenStackConfig(configBlock);
}

export function stackFilePath(stack: string, root: string = PROJECT_ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/** Stacks that have a config file in `root`: a stack is data, so this is the list of known stacks. */
export function stacksWithFiles(root: string = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function readStackFile(stack: string, root: string = PROJECT_ROOT): StackConfigFile {
  const file = stackFilePath(stack, root);
  if (!fs.existsSync(file)) {
    throw new Error(
      `Unknown stack "${stack}": no ${path.basename(file)} in ${root}; stacks with a config file: ${stacksWithFiles(root).join(", ")}`,
    );
  }
  return parseStackFile(fs.readFileSync(file, "utf8"), path.basename(file));
}
