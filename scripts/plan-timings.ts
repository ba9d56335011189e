/**
 * Where a plan's time goes, phase by phase, as `npm run plan -- <stack> --timings <file>` writes it and
 * `npm run bench` reads it (scripts/bench.ts). Each phase is elapsed (wall) and CPU (user + system)
 * milliseconds of the plan's process; the process's total CPU is measured by the process itself at the end.
 */
import type { PhaseTime } from "../offline/types";

export const PHASES = [
  "startup and transpile",
  "module import",
  "referenced stacks",
  "registration",
  "output resolution",
  "policy run",
  "report",
] as const;

export type Phase = (typeof PHASES)[number];

export interface PlanTimings {
  readonly phases: Readonly<Record<Phase, PhaseTime>>;
  /** From the process's start to the timings being written. */
  readonly total: PhaseTime;
  readonly resources: number;
}

/** What offline/register.cjs records about this process. */
export interface RegisterStats {
  /** Node's own startup: from the process's start to the hook being loaded. */
  readonly startup: PhaseTime;
  /** Time in the TypeScript hook (cache reads, and esbuild on a miss). */
  readonly transpile: PhaseTime;
  readonly files: number;
  readonly misses: number;
}

const NO_TIME: PhaseTime = { wallMs: 0, cpuMs: 0 };

/** The hook's statistics, or zeros when the process did not load TypeScript through offline/register.cjs. */
export function registerStats(): RegisterStats {
  const stats = (globalThis as Record<symbol, RegisterStats | undefined>)[Symbol.for("helium.register")];
  return stats ?? { startup: NO_TIME, transpile: NO_TIME, files: 0, misses: 0 };
}

/** Wall and CPU time of this process since it started. */
export function sinceProcessStart(): PhaseTime {
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

export function plus(...times: readonly PhaseTime[]): PhaseTime {
  return times.reduce((a, b) => ({ wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs }), NO_TIME);
}

export function minus(a: PhaseTime, b: PhaseTime): PhaseTime {
  return { wallMs: a.wallMs - b.wallMs, cpuMs: a.cpuMs - b.cpuMs };
}
