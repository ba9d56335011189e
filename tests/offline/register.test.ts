/**
 * offline/register.cjs's transpile cache, filled ahead by `npm test` (warmTranspileCache) so that the
 * processes it starts on a fresh clone do not each transpile the same files.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { warmTranspileCache } from "../../offline/register.cjs";

describe("the transpile cache (offline/register.cjs)", () => {
  it("warmTranspileCache transpiles what is not cached yet, once; the loader then runs the cached JavaScript", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-register-"));
    try {
      // Content unique to this run, so the cache cannot already hold it.
      const marker = `${process.pid}-${Date.now()}`;
      const file = path.join(dir, "module.ts");
      fs.writeFileSync(
        file,
        `const marker: string = "${marker}";\nexport const answer = (n: number): string => \`\${n} \${marker}\`;\n`,
      );
      assert.equal(await warmTranspileCache([file]), 1);
      assert.equal(await warmTranspileCache([file]), 0);
      const stats = (globalThis as Record<symbol, { misses: number } | undefined>)[Symbol.for("helium.register")];
      const misses = stats?.misses;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a .ts file through the hook
      const loaded = require(file) as { answer(n: number): string };
      assert.equal(loaded.answer(42), `42 ${marker}`);
      assert.equal(stats?.misses, misses, "the loader found it in the cache");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("warmTranspileCache never rejects: a file it cannot read or transpile is left to whoever loads it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-register-"));
    try {
      const broken = path.join(dir, "broken.ts");
      fs.writeFileSync(broken, `export const x = ;\n// ${process.pid}-${Date.now()}\n`);
      const good = path.join(dir, "good.ts");
      fs.writeFileSync(good, `export const y = "${process.pid}-${Date.now()}";\n`);
      assert.equal(await warmTranspileCache([broken, path.join(dir, "missing.ts"), good]), 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
