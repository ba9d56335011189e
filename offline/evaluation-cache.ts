/**
 * Referenced stacks' outputs on disk, keyed by everything that decides them, so the offline plan of
 * production does not evaluate shared and staging again while neither they nor the program changed.
 *
 * The key covers: every file of the program (the project's files outside node_modules, .git, tests, docs,
 * scripts, policy-pack and CI folders; package-lock.json among them, which fixes node_modules after
 * `npm ci`), the Node.js version, the stack's request (config after overrides, mode, program path) and the
 * keys of the stacks it references. Evaluation under mocks is deterministic, so an entry is exact while its
 * key matches; a changed file or config gives a new key, never a stale entry.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./pulumi-yaml";
import { writableCacheDirectory } from "./register.cjs";
import type { EvaluationRequest, ReferencedOutputs } from "./types";

/** Folders whose files cannot change what a stack program registers or exports. */
const NOT_PROGRAM = new Set([
  "node_modules",
  ".git",
  "tests",
  "docs",
  "scripts",
  "policy-pack",
  ".github",
  ".ci",
  "bin",
]);

function programFiles(directory: string, found: string[]): string[] {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!NOT_PROGRAM.has(entry.name)) programFiles(path.join(directory, entry.name), found);
    } else if (entry.isFile()) found.push(path.join(directory, entry.name));
  }
  return found;
}

/** A hash of the program's files as they are now, and the Node.js version. */
function currentFingerprint(): string {
  const hash = crypto.createHash("sha256").update(process.version);
  for (const file of programFiles(PROJECT_ROOT, []).sort()) {
    hash.update(path.relative(PROJECT_ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

let fingerprint: string | undefined;

/** {@link currentFingerprint}, computed once per process: the keys of this process's evaluations. */
function programFingerprint(): string {
  fingerprint ??= currentFingerprint();
  return fingerprint;
}

/** The key of a stack's evaluation; `references` are the keys of the stacks its StackReferences read. */
export function evaluationCacheKey(request: EvaluationRequest, references: readonly string[]): string {
  return crypto
    .createHash("sha256")
    .update(programFingerprint())
    .update(JSON.stringify(request))
    .update(JSON.stringify(references))
    .digest("hex");
}

let directory: string | undefined;

function cacheDirectory(): string {
  directory ??= writableCacheDirectory("helium-outputs", "the referenced-outputs cache");
  return directory;
}

/** The cached outputs for `key`, or undefined. */
export function readCachedOutputs(key: string): ReferencedOutputs | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDirectory(), `${key}.json`), "utf8")) as ReferencedOutputs;
  } catch {
    return undefined;
  }
}

/** Keys this process has stored. */
const written = new Set<string>();

/**
 * Stores `outputs` under `key`, unless the program's files changed since this process computed its keys: a
 * program evaluated after an edit would be stored under the key of the files before it.
 */
export function writeCachedOutputs(key: string, outputs: ReferencedOutputs): void {
  // An entry is exact for its key: once written by this process, every later write would be the same bytes
  // (each evaluation that references a stack asks to store it), after reading every program file again.
  if (written.has(key)) return;
  if (currentFingerprint() !== programFingerprint()) return;
  written.add(key);
  const file = path.join(cacheDirectory(), `${key}.json`);
  // Written aside, then renamed, so a concurrent reader never sees half a file.
  fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(outputs));
  fs.renameSync(`${file}.${process.pid}`, file);
}
