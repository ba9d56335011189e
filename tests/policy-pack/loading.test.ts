import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

/**
 * `new PolicyPack` starts a gRPC server (grpc.Server.bindAsync) for the Pulumi CLI. The policies must load
 * without it, so tests and the offline plan can use them; only policy-pack/index.ts may construct the pack.
 */
const PACK = path.resolve(__dirname, "../../policy-pack");
const grpcPath = require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/policy"))] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(grpcPath) as { Server: { prototype: { bindAsync: (...args: unknown[]) => void } } };

function freshRequire(modulePath: string): unknown {
  for (const key of Object.keys(require.cache)) if (key.startsWith(PACK + path.sep)) delete require.cache[key];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath);
}

function countingBinds<T>(body: () => T): { result: T; binds: number } {
  const original = grpc.Server.prototype.bindAsync;
  let binds = 0;
  grpc.Server.prototype.bindAsync = function () {
    binds++;
  };
  try {
    return { result: body(), binds };
  } finally {
    grpc.Server.prototype.bindAsync = original;
  }
}

describe("policy pack loading", () => {
  it("loads the policy list and the engine without starting a gRPC server", () => {
    const { result, binds } = countingBinds(() => {
      const policies = freshRequire(path.join(PACK, "policies")) as { heliumPolicies: unknown[] };
      freshRequire(path.join(PACK, "engine"));
      return policies.heliumPolicies.length;
    });
    assert.equal(binds, 0);
    assert.ok(result > 20, `expected the full policy list, got ${result}`);
  });

  it("index.ts does start the server (so the check above can fail) and constructs the pack once", function () {
    // serve() allows one pack per process; run this last-resort check in this process only once.
    const { binds } = countingBinds(() => freshRequire(path.join(PACK, "index")));
    assert.equal(binds, 1);
  });

  it("only index.ts constructs a PolicyPack, and it does nothing else", () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? e.name === "node_modules"
              ? []
              : files(path.join(dir, e.name))
            : e.name.endsWith(".ts")
              ? [path.join(dir, e.name)]
              : [],
        );
    const constructing = files(PACK).filter((f) => /new PolicyPack\(/.test(fs.readFileSync(f, "utf8")));
    assert.deepEqual(
      constructing.map((f) => path.relative(PACK, f)),
      ["index.ts"],
    );
    const code = fs
      .readFileSync(path.join(PACK, "index.ts"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.trim().startsWith("//"));
    assert.equal(code.length, 3, "index.ts should hold two imports and the PolicyPack construction only");
    assert.doesNotMatch(fs.readFileSync(path.join(PACK, "index.ts"), "utf8"), /engine/);
  });

  it("policy names are unique and follow helium-<concern>", () => {
    const { heliumPolicies } = freshRequire(path.join(PACK, "policies")) as { heliumPolicies: Array<{ name: string }> };
    const names = heliumPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.match(name, /^helium-[a-z0-9-]+$/);
  });
});
