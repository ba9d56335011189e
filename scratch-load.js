const c0 = process.cpuUsage(); const w0 = Date.now();
require(process.argv[2]);
const c1 = process.cpuUsage(c0);
require("./policy-pack/engine"); require("./offline/evaluate"); require("./scripts/plan-report");
const c2 = process.cpuUsage(c0);
require("./stacks/index.ts");
const c3 = process.cpuUsage(c0);
const f = (u) => ((u.user + u.system) / 1000).toFixed(0);
console.log(process.argv[2], "hook", f(c1), "plan modules", f(c2), "+program", f(c3), "total-since-boot", f(process.cpuUsage()), "wall", Date.now() - w0);
