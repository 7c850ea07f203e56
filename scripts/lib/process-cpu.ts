import { readFileSync, readdirSync } from "node:fs";

/**
 * CPU time of this process's children whose command line contains `match` (e.g. DynamoDB Local's
 * JVM), in ms, summed over their threads; undefined where /proc is not there (not Linux). The local
 * network's servers share the cores with the gateway under test, which they would not in production.
 */
export function childCpuMs(match: string): number | undefined {
  try {
    let ns = 0;
    for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // Field 4 (after the parenthesised name, which may hold spaces) is the parent's pid.
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (parent !== process.pid || !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(match)) continue;
        for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The process ended while being read.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}
