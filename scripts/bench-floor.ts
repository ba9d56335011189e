/**
 * The plan's floor, for `npm run bench` (scripts/bench.ts): what registering the same resources costs with
 * nothing of ours in the way. `node -r ./offline/register.cjs scripts/bench-floor.ts <recorded.json>
 * <timings.json>` imports @pulumi/aws (whole, as the program does) into a bare mock runtime (inputs echoed
 * as state, no recording), replays every recorded registration in order (type, name, inputs, parent,
 * provider), waits until all are done, and writes its phases in the plan's shape (scripts/plan-timings.ts).
 *
 * Only Node's startup and this file are transpiled; the SDK is used as shipped (stock settings), unless
 * `--quiet-promise-tracking` empties the runtime's per-promise stack traces as the plan's evaluation does
 * (offline/runtime-adapter.ts `quietPromiseTracking`).
 */
import * as fs from "fs";
import { PhaseClock } from "../offline/phase-clock";
import type { PhaseTime, RecordedResource } from "../offline/types";
import { PHASES, type Phase, type PlanTimings, plus, registerStats, sinceProcessStart } from "./plan-timings";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [recordedFile, timingsFile] = [args[0], args[args.length - 1]];
  const recorded = (JSON.parse(fs.readFileSync(recordedFile, "utf8")) as { recorded: RecordedResource[] }).recorded;
  const clock = new PhaseClock();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the measured phase
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  if (args.includes("--quiet-promise-tracking")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the SDK, inside the measured phase
    (require("../offline/runtime-adapter") as typeof import("../offline/runtime-adapter")).quietPromiseTracking();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded whole, as `import * as aws` does
  require("@pulumi/aws");
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: args.type.startsWith("pulumi:providers:") ? `${args.name}-id` : args.name,
        state: args.inputs as Record<string, unknown>,
      }),
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "helium",
    "floor",
  );
  const imported = clock.mark();

  // The SDK's base classes are abstract; generated resource classes are thin subclasses like these.
  class Provider extends pulumi.ProviderResource {}
  class Custom extends pulumi.CustomResource {}
  class Component extends pulumi.ComponentResource {
    done(): void {
      this.registerOutputs({});
    }
  }

  const byUrn = new Map<string, import("@pulumi/pulumi").Resource>();
  for (const r of recorded) {
    const parent = r.parent !== null ? byUrn.get(r.parent) : undefined;
    const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
    const provider = providerUrn !== undefined ? byUrn.get(providerUrn) : undefined;
    const opts = {
      ...(parent !== undefined ? { parent } : {}),
      ...(provider !== undefined ? { provider: provider as import("@pulumi/pulumi").ProviderResource } : {}),
    };
    let resource: import("@pulumi/pulumi").Resource;
    if (r.type.startsWith("pulumi:providers:")) {
      resource = new Provider(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts);
    } else if (!r.custom) {
      const component = new Component(r.type, r.name, {}, opts);
      component.done();
      resource = component;
    } else {
      resource = new Custom(r.type, r.name, r.inputs, opts);
    }
    byUrn.set(r.urn, resource);
  }
  await pulumi.runtime.disconnect();
  const registration = clock.mark();

  const hook = registerStats();
  const zero: PhaseTime = { wallMs: 0, cpuMs: 0 };
  const phases = Object.fromEntries(PHASES.map((p) => [p, zero])) as Record<Phase, PhaseTime>;
  phases["startup and transpile"] = plus(hook.startup, hook.transpile);
  phases["module import"] = imported;
  phases.registration = registration;
  const timings: PlanTimings = { phases, total: sinceProcessStart(), resources: recorded.length };
  fs.writeFileSync(timingsFile, JSON.stringify(timings));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
