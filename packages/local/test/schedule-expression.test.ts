import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextFireTime } from "../src/schedule-expression.js";

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string, startedAt = "2030-01-01T00:00:00.000Z") => nextFireTime(expression, at(after), at(startedAt)).toISOString();

// EventBridge cron is UTC: run in a zone far from it, so local-time arithmetic would show.
const originalTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "America/Los_Angeles";
});
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe("nextFireTime: rate expressions, counted from startedAt", () => {
  it("rate(1 minute) fires every minute after the start, strictly after `after`", () => {
    // Prepare
    const startedAt = "2030-01-01T00:00:20.000Z";

    // Act
    const fromStart = next("rate(1 minute)", startedAt, startedAt);
    const midPeriod = next("rate(1 minute)", "2030-01-01T00:03:59.999Z", startedAt);
    const exactlyOnATick = next("rate(1 minute)", "2030-01-01T00:01:20.000Z", startedAt);

    // Assess
    expect(fromStart).toBe("2030-01-01T00:01:20.000Z");
    expect(midPeriod).toBe("2030-01-01T00:04:20.000Z");
    expect(exactlyOnATick).toBe("2030-01-01T00:02:20.000Z");
  });

  it("rate(5 minutes) fires every five minutes after the start", () => {
    // Prepare
    const startedAt = "2030-01-01T00:00:00.000Z";

    // Act
    const results = ["2030-01-01T00:00:00.000Z", "2030-01-01T00:07:00.000Z", "2030-01-01T00:10:00.000Z"].map((after) => next("rate(5 minutes)", after, startedAt));

    // Assess
    expect(results).toEqual(["2030-01-01T00:05:00.000Z", "2030-01-01T00:10:00.000Z", "2030-01-01T00:15:00.000Z"]);
  });

  it("rate(2 hours) keeps the start's offset instead of aligning to the clock", () => {
    // Prepare
    const startedAt = "2030-01-01T00:30:00.000Z";

    // Act
    const result = next("rate(2 hours)", "2030-01-01T03:00:00.000Z", startedAt);

    // Assess
    expect(result).toBe("2030-01-01T04:30:00.000Z");
  });

  it("rate(1 day) fires at the start's time of day", () => {
    // Prepare
    const startedAt = "2030-01-01T09:15:00.000Z";

    // Act
    const result = next("rate(1 day)", "2030-01-03T10:00:00.000Z", startedAt);

    // Assess
    expect(result).toBe("2030-01-04T09:15:00.000Z");
  });
});

describe("nextFireTime: cron expressions, in UTC", () => {
  it("cron(0 12 * * ? *) fires at 12:00 UTC, today if still ahead, else tomorrow", () => {
    // Prepare
    const expression = "cron(0 12 * * ? *)";

    // Act
    const beforeNoon = next(expression, "2030-01-01T11:59:59.999Z");
    const atNoon = next(expression, "2030-01-01T12:00:00.000Z");

    // Assess
    expect(beforeNoon).toBe("2030-01-01T12:00:00.000Z");
    expect(atNoon).toBe("2030-01-02T12:00:00.000Z");
  });

  it("cron(15 10 ? * MON-FRI *) fires at 10:15 UTC on weekdays only", () => {
    // Prepare: 2030-01-01 is a Tuesday, 2030-01-04 a Friday, 2030-01-05 a Saturday.
    const expression = "cron(15 10 ? * MON-FRI *)";

    // Act
    const tuesdayMorning = next(expression, "2030-01-01T09:00:00.000Z");
    const fridayAfterTheRun = next(expression, "2030-01-04T10:15:00.000Z");
    const saturday = next(expression, "2030-01-05T08:00:00.000Z");

    // Assess
    expect(tuesdayMorning).toBe("2030-01-01T10:15:00.000Z");
    expect(fridayAfterTheRun).toBe("2030-01-07T10:15:00.000Z");
    expect(saturday).toBe("2030-01-07T10:15:00.000Z");
  });

  it("cron(0/5 * * * ? *) fires on every fifth minute of the hour", () => {
    // Prepare
    const expression = "cron(0/5 * * * ? *)";

    // Act
    const results = ["2030-01-01T00:04:59.500Z", "2030-01-01T00:05:00.000Z", "2030-01-01T00:57:00.000Z"].map((after) => next(expression, after));

    // Assess
    expect(results).toEqual(["2030-01-01T00:05:00.000Z", "2030-01-01T00:10:00.000Z", "2030-01-01T01:00:00.000Z"]);
  });

  it("a cron whose only year is past says it never fires again", () => {
    // Act
    const act = () => next("cron(0 0 1 1 ? 2020)", "2030-01-01T00:00:00.000Z");

    // Assess
    expect(act).toThrow("Schedule 'cron(0 0 1 1 ? 2020)' never fires again");
  });

  // A 5-field (Unix-style) cron must not reach aws-cron-parser, which fails unreadably on it.
  it("a 5-field cron is refused with a message naming the expression", () => {
    // Act
    const act = () => next("cron(0 12 * * ?)", "2030-01-01T00:00:00.000Z");

    // Assess
    expect(act).toThrow(/cron\(0 12 \* \* \?\)/);
  });
});

describe("nextFireTime: invalid expressions", () => {
  it.each([
    ["rate(1 minutes)", "Invalid rate expression 'rate(1 minutes)' (AWS wants 'rate(1 minute)', 'rate(5 minutes)')"],
    ["rate(5 minute)", "Invalid rate expression 'rate(5 minute)' (AWS wants 'rate(1 minute)', 'rate(5 minutes)')"],
    ["rate(0 minutes)", "Invalid rate expression 'rate(0 minutes)' (AWS wants 'rate(1 minute)', 'rate(5 minutes)')"],
    ["every day", "Unsupported schedule expression 'every day'"],
  ])("%s is refused with a readable message", (expression, message) => {
    // Act
    const act = () => next(expression, "2030-01-01T00:00:00.000Z");

    // Assess
    expect(act).toThrow(message);
  });
});
