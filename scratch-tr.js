const fs = require("fs"); const path = require("path");
const files = require("child_process").execSync("git ls-files '*.ts'").toString().trim().split("\n");
let c = process.cpuUsage(); const ts = require("typescript"); let u = process.cpuUsage(c); console.log("load ts", ((u.user+u.system)/1000).toFixed(0), "files", files.length);
const opts = ts.parseJsonConfigFileContent(ts.readConfigFile("tsconfig.json", ts.sys.readFile).config, ts.sys, ".").options;
c = process.cpuUsage(); for (const f of files) ts.transpileModule(fs.readFileSync(f, "utf8"), { fileName: f, compilerOptions: { ...opts, noEmit: false, sourceMap: false } }); u = process.cpuUsage(c); console.log("ts transpile all", ((u.user+u.system)/1000).toFixed(0));
c = process.cpuUsage(); const es = require("esbuild"); u = process.cpuUsage(c); console.log("load esbuild", ((u.user+u.system)/1000).toFixed(0));
c = process.cpuUsage(); const w = Date.now(); for (const f of files) es.transformSync(fs.readFileSync(f, "utf8"), { loader: "ts", format: "cjs", target: "es2022", sourcefile: f }); u = process.cpuUsage(c); console.log("esbuild transform all (parent cpu)", ((u.user+u.system)/1000).toFixed(0), "wall", Date.now() - w);
