const c0 = process.cpuUsage(); require("@pulumi/pulumi"); require("@pulumi/aws"); const c1 = process.cpuUsage(c0);
require("./stacks/index.ts"); const c2 = process.cpuUsage(c0);
const f = (u) => ((u.user + u.system) / 1000).toFixed(0);
console.log("pkgs", f(c1), "program", f(c2) - f(c1), "since boot", f(process.cpuUsage()));
