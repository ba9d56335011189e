/** Wall and CPU time of this process, phase by phase: the timings of evaluations, the plan and the benchmark. */
import type { PhaseTime } from "./types";

export class PhaseClock {
  private wall = performance.now();
  private cpu = process.cpuUsage();

  /** Time since the last mark (or construction); starts the next phase. */
  mark(): PhaseTime {
    const wall = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    const phase = { wallMs: wall - this.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
    this.wall = wall;
    this.cpu = process.cpuUsage();
    return phase;
  }
}
