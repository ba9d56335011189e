/**
 * The smoke check script the deploy workflows run after `pulumi up` (.github/scripts/smoke-check.sh),
 * run for real with bash and curl against a local HTTP server: it passes on 2xx, retries until one
 * arrives, and fails on anything else, including redirects and no answer at all.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { SMOKE_SCRIPT } from "./workflow-checks";
import { REPO_ROOT } from "./repository-checks";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs the script asynchronously: a synchronous child would block this process's server. */
function smoke(url: string, attempts = 3): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      [path.join(REPO_ROOT, SMOKE_SCRIPT), url],
      {
        env: { ...process.env, SMOKE_ATTEMPTS: String(attempts), SMOKE_DELAY_SECONDS: "0", SMOKE_TIMEOUT_SECONDS: "2" },
      },
      (error, stdout) => resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout }),
    );
  });
}

describe("smoke-check.sh", function () {
  this.timeout(30_000);
  let server: http.Server;
  let base = "";
  /** Requests seen per path, so a path can answer differently on later attempts. */
  const seen = new Map<string, number>();

  before(async () => {
    server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      const n = (seen.get(url) ?? 0) + 1;
      seen.set(url, n);
      if (url === "/healthy/api/health") res.writeHead(200).end("ok");
      else if (url === "/warming/api/health") res.writeHead(n < 3 ? 503 : 204).end();
      else if (url === "/redirect/api/health") res.writeHead(301, { location: "/healthy/api/health" }).end();
      else res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("passes on the first 2xx", async () => {
    const run = await smoke(`${base}/healthy/api/health`);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /smoke check passed: .* answered 200 \(attempt 1 of 3\)/);
  });

  it("retries while the environment warms up, then passes", async () => {
    const run = await smoke(`${base}/warming/api/health`);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /answered 503/);
    assert.match(run.stdout, /answered 204 \(attempt 3 of 3\)/);
  });

  it("fails after its attempts on a 5xx, naming the URL", async () => {
    const run = await smoke(`${base}/broken/api/health`, 2);
    assert.equal(run.code, 1);
    assert.equal(seen.get("/broken/api/health"), 2);
    assert.match(run.stdout, /::error::smoke check failed: .*\/broken\/api\/health did not answer 2xx in 2 attempts/);
  });

  it("fails on a redirect: the health endpoint must answer itself", async () => {
    assert.equal((await smoke(`${base}/redirect/api/health`, 1)).code, 1);
  });

  it("fails when nothing answers", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await smoke(`http://127.0.0.1:${port}/api/health`, 1);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /answered 000/);
  });

  it("fails at once without an absolute URL (an empty apiUrl output)", async () => {
    const run = await smoke("/api/health");
    assert.equal(run.code, 2);
    assert.match(run.stdout, /needs an absolute http\(s\) URL/);
  });
});
