import { Cron, type Function } from "sst/constructs";
import { manifest, type CronName } from "./manifest";
import { tableAccess } from "./permissions";
import { pascal, type Wiring } from "./shared";

/** One EventBridge schedule per `manifest.crons` entry, schedule string passed through as given. */
export function createCrons({ stack, table, env }: Wiring): Record<CronName, { cron: Cron; fn: Function }> {
  const entries = (Object.keys(manifest.crons) as CronName[]).map((name) => {
    const spec = manifest.crons[name];
    const cron = new Cron(stack, `${pascal(name)}Cron`, {
      schedule: scheduleExpression(name, spec.schedule),
      job: {
        function: {
          handler: spec.handler,
          timeout: spec.timeoutSeconds,
          environment: env,
          permissions: [tableAccess(table)],
        },
      },
    });
    return [name, { cron, fn: cron.jobFunction }] as const;
  });
  return Object.fromEntries(entries) as Record<CronName, { cron: Cron; fn: Function }>;
}

type ScheduleExpression = `rate(${string})` | `cron(${string})`;

/** The manifest types schedules as plain strings; check the form EventBridge accepts. */
function scheduleExpression(name: string, schedule: string): ScheduleExpression {
  if (!/^(rate|cron)\(.+\)$/.test(schedule)) throw new Error(`cron ${name}: schedule "${schedule}" is not rate(...) or cron(...)`);
  return schedule as ScheduleExpression;
}
