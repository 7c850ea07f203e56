import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import type { LocalLog } from "./log.js";
import { nextFireTime } from "./schedule-expression.js";

export interface ScheduledTarget {
  name: string;
  schedule: string;
  invoke: (event: ScheduledEvent) => Promise<unknown>;
}

/** The EventBridge event a scheduled rule delivers. */
export function scheduledEvent(ruleName: string, at: Date): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "123456789012",
    time: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: "us-east-1",
    resources: [`arn:aws:events:us-east-1:123456789012:rule/${ruleName}`],
    detail: {},
  };
}

/**
 * EventBridge scheduled rules, locally: each target fires at its schedule's next time, one run at
 * a time (a run still going when the next is due is skipped, as a slow Lambda would be throttled
 * to one concurrent run by the rule's reserved concurrency). `fire` runs one target now (tests, CLI).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;
const unref = (timer: NodeJS.Timeout) => {
  timer.unref();
  return timer;
};

export function startScheduler(targets: ScheduledTarget[], options: { log: LocalLog; armTimers: boolean }) {
  const { log } = options;
  const startedAt = new Date();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<string>();
  let stopped = false;

  const fire = async (target: ScheduledTarget, at = new Date()) => {
    if (running.has(target.name)) {
      log("scheduler", "previous run still going; skipped", { rule: target.name });
      return undefined;
    }
    running.add(target.name);
    try {
      return await target.invoke(scheduledEvent(target.name, at));
    } finally {
      running.delete(target.name);
    }
  };

  /**
   * Arms the target's next run strictly after `after`. Timers follow a monotonic clock and may fire
   * a little before the wall-clock time they aimed at, so the next run is computed from the later of
   * "now" and the run just made, never from "now" alone (which could yield the same time again).
   * Timers longer than setTimeout's ~24.8-day maximum wake up early and re-arm without firing.
   */
  const arm = (target: ScheduledTarget, after: Date) => {
    if (stopped) return;
    const next = nextFireTime(target.schedule, after, startedAt);
    const wait = () => {
      if (stopped) return;
      const delay = next.getTime() - Date.now();
      if (delay > MAX_TIMER_MS) {
        timers.set(target.name, unref(setTimeout(wait, MAX_TIMER_MS)));
        return;
      }
      const timer = setTimeout(() => {
        fire(target, next)
          .catch((error) => log("scheduler", "scheduled run failed", { rule: target.name, error: String(error) }))
          .finally(() => arm(target, new Date(Math.max(Date.now(), next.getTime()))));
      }, Math.max(0, delay));
      timers.set(target.name, unref(timer));
    };
    wait();
  };

  if (options.armTimers) for (const target of targets) arm(target, startedAt);
  return {
    /** Runs the named target now and resolves its handler's result. */
    fire(name: string) {
      const target = targets.find((t) => t.name === name);
      if (!target) throw new Error(`No scheduled target '${name}'`);
      return fire(target);
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
