import awsCronParser from "aws-cron-parser";

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/**
 * The next time an EventBridge schedule expression fires after `after`:
 * `rate(5 minutes)` (AWS counts rates from rule creation; locally from `startedAt`) or
 * `cron(min hour day-of-month month day-of-week year)` in UTC.
 */
export function nextFireTime(expression: string, after: Date, startedAt: Date): Date {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1 || (value === 1) !== !unit.endsWith("s")) throw new Error(`Invalid rate expression '${expression}' (AWS wants 'rate(1 minute)', 'rate(5 minutes)')`);
    const period = value * RATE_UNITS[unit]!;
    const elapsed = after.getTime() - startedAt.getTime();
    return new Date(startedAt.getTime() + (Math.floor(elapsed / period) + 1) * period);
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    // AWS: six fields, and one of day-of-month / day-of-week must be '?'.
    if (fields.length !== 6) throw new Error(`Invalid schedule expression '${expression}': cron() takes 6 fields (minutes hours day-of-month month day-of-week year)`);
    if ((fields[2] === "?") === (fields[4] === "?")) throw new Error(`Invalid schedule expression '${expression}': exactly one of day-of-month and day-of-week must be '?'`);
    let parsed;
    try {
      parsed = awsCronParser.parse(cron[1]!);
    } catch (error) {
      throw new Error(`Invalid schedule expression '${expression}': ${(error as Error).message}`);
    }
    const next = awsCronParser.next(parsed, after);
    if (!next) throw new Error(`Schedule '${expression}' never fires again`);
    return next;
  }
  throw new Error(`Unsupported schedule expression '${expression}'`);
}
