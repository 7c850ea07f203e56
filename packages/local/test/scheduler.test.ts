import type { ScheduledEvent } from "aws-lambda";
import { deferred } from "@tensornode/core/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { quietLog, type LocalLog } from "../src/log.js";
import { startScheduler, type ScheduledTarget } from "../src/scheduler.js";

type Scheduler = ReturnType<typeof startScheduler>;
let scheduler: Scheduler | undefined;

afterEach(() => {
  scheduler?.stop();
  scheduler = undefined;
  vi.useRealTimers();
});

function start(targets: ScheduledTarget[], options: { armTimers: boolean; log?: LocalLog }) {
  scheduler = startScheduler(targets, { log: options.log ?? quietLog, armTimers: options.armTimers });
  return scheduler;
}

/** A target whose invocations are kept; `respond` decides each result. */
function target(name: string, schedule: string, respond: (event: ScheduledEvent) => Promise<unknown> = async () => "ok") {
  const events: ScheduledEvent[] = [];
  const invoke = vi.fn(async (event: ScheduledEvent) => {
    events.push(event);
    return respond(event);
  });
  return { name, schedule, invoke, events };
}


const ISO_WITHOUT_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe("scheduler: firing a target by name", () => {
  it("invokes the target with an EventBridge Scheduled Event and resolves the handler's result", async () => {
    // Prepare
    const epochClose = target("epochClose", "rate(1 hour)", async () => ({ closed: 3 }));
    const s = start([epochClose], { armTimers: false });

    // Act
    const result = await s.fire("epochClose");

    // Assess
    expect(result).toEqual({ closed: 3 });
    expect(epochClose.invoke).toHaveBeenCalledTimes(1);
    const event = epochClose.events[0]!;
    expect(event).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "123456789012",
      time: expect.stringMatching(ISO_WITHOUT_MILLIS),
      region: "us-east-1",
      resources: ["arn:aws:events:us-east-1:123456789012:rule/epochClose"],
      detail: {},
    });
    expect(Math.abs(Date.parse(event.time) - Date.now())).toBeLessThan(5_000);
  });

  it("throws for a name no target has", () => {
    // Prepare
    const s = start([target("epochClose", "rate(1 hour)")], { armTimers: false });

    // Act
    const act = () => s.fire("nope");

    // Assess
    expect(act).toThrow("No scheduled target 'nope'");
  });

  it("skips a run while the previous one is still going, and runs again once it finished", async () => {
    // Prepare
    const run = deferred<string>();
    const healthProbe = target("healthProbe", "rate(1 minute)", () => run.promise);
    const s = start([healthProbe], { armTimers: false });

    // Act
    const first = s.fire("healthProbe");
    const second = await s.fire("healthProbe");
    run.resolve("done");
    const firstResult = await first;
    const third = await s.fire("healthProbe");

    // Assess
    expect(second).toBeUndefined();
    expect(firstResult).toBe("done");
    expect(third).toBe("done");
    expect(healthProbe.invoke).toHaveBeenCalledTimes(2);
  });

  it("rejects with the handler's error and lets the next run start", async () => {
    // Prepare
    let calls = 0;
    const flaky = target("flaky", "rate(1 hour)", async () => {
      calls += 1;
      if (calls === 1) throw new Error("table not found");
      return "recovered";
    });
    const s = start([flaky], { armTimers: false });

    // Act
    const failed = await Promise.resolve(s.fire("flaky")).catch((e: unknown) => e);
    const next = await s.fire("flaky");

    // Assess
    expect(failed).toMatchObject({ message: "table not found" });
    expect(next).toBe("recovered");
  });
});

describe("scheduler: armed timers (fake time)", () => {
  it("fires a rate(1 minute) target after 60 s and re-arms it for 120 s", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const healthProbe = target("healthProbe", "rate(1 minute)");
    start([healthProbe], { armTimers: true });

    // Act
    await vi.advanceTimersByTimeAsync(59_999);
    const beforeTheMinute = healthProbe.invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);
    const afterOneMinute = healthProbe.invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(beforeTheMinute).toBe(0);
    expect(afterOneMinute).toBe(1);
    expect(healthProbe.events.map((e) => e.time)).toEqual(["2030-01-01T00:01:00Z", "2030-01-01T00:02:00Z"]);
  });

  it("fires a cron target at its UTC times", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:03:30.000Z") });
    const everyFive = target("everyFive", "cron(0/5 * * * ? *)");
    start([everyFive], { armTimers: true });

    // Act
    await vi.advanceTimersByTimeAsync(7 * 60_000);

    // Assess
    expect(everyFive.events.map((e) => e.time)).toEqual(["2030-01-01T00:05:00Z", "2030-01-01T00:10:00Z"]);
  });

  it("logs a failed scheduled run and keeps the schedule going", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const failing = target("failing", "rate(1 minute)", async () => {
      throw new Error("boom");
    });
    start([failing], { armTimers: true, log: (component, message, attributes) => lines.push([component, message, attributes]) });

    // Act
    await vi.advanceTimersByTimeAsync(120_000);

    // Assess
    expect(failing.invoke).toHaveBeenCalledTimes(2);
    expect(lines).toContainEqual(["scheduler", "scheduled run failed", { rule: "failing", error: "Error: boom" }]);
  });

  it("stop() before the first tick prevents any run", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const healthProbe = target("healthProbe", "rate(1 minute)");
    const s = start([healthProbe], { armTimers: true });
    await vi.advanceTimersByTimeAsync(30_000);

    // Act
    s.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // Assess
    expect(healthProbe.invoke).not.toHaveBeenCalled();
  });

  it("stop() during a run keeps that run but does not re-arm the schedule", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const run = deferred<string>();
    const healthProbe = target("healthProbe", "rate(1 minute)", () => run.promise);
    const s = start([healthProbe], { armTimers: true });
    await vi.advanceTimersByTimeAsync(60_000);

    // Act
    s.stop();
    run.resolve("done");
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // Assess
    expect(healthProbe.invoke).toHaveBeenCalledTimes(1);
  });

  it("with armTimers: false nothing fires on its own", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const healthProbe = target("healthProbe", "rate(1 minute)");
    const everyFive = target("everyFive", "cron(0/5 * * * ? *)");
    start([healthProbe, everyFive], { armTimers: false });

    // Act
    await vi.advanceTimersByTimeAsync(60 * 60_000);

    // Assess
    expect(healthProbe.invoke).not.toHaveBeenCalled();
    expect(everyFive.invoke).not.toHaveBeenCalled();
  });

  // A timer callback may run a little before its due time (Node timers run on the monotonic
  // clock, Date.now() on the wall clock; a wall-clock step back does it too). It must not re-arm
  // for the same due time and fire twice. Here the wall clock is stepped back 1 ms.
  it("fires once per due time even when the timer runs a millisecond early", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.000Z") });
    const healthProbe = target("healthProbe", "rate(1 minute)");
    start([healthProbe], { armTimers: true });
    vi.setSystemTime(new Date("2029-12-31T23:59:59.999Z"));

    // Act: one second past the first tick, well before the second.
    await vi.advanceTimersByTimeAsync(61_000);

    // Assess
    expect(healthProbe.events.map((e) => e.time)).toEqual(["2030-01-01T00:01:00Z"]);
  });

  // Schedules more than ~24.8 days away exceed setTimeout's maximum: the capped timer must
  // re-arm, not fire.
  it("does not fire a yearly cron before its date", async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-02T00:00:00.000Z") });
    const newYear = target("newYear", "cron(0 0 1 1 ? *)");
    start([newYear], { armTimers: true });

    // Act
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);

    // Assess
    expect(newYear.invoke).not.toHaveBeenCalled();
  });
});
