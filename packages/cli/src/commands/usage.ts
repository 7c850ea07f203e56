import type { UsageRecord } from "@tensornode/sdk";
import type { Command } from "../registry.js";
import { clientOptions, hbar, positiveInt, sdkClient, sdkCommand } from "./sdk-client.js";

/** `tensornode usage`: metered requests, newest first; --all walks every page and totals the cost. */
const usage: Command = sdkCommand({
  path: ["usage"],
  summary: "list metered requests, newest first (--all: every page, with the total)",
  usage: "[--limit <1-100>] [--before <usage id>] [--all] [--json]",
  options: { ...clientOptions, limit: { type: "string" }, before: { type: "string" }, all: { type: "boolean" } },
  async run(values, _positionals, context) {
    const client = sdkClient(values, context.env);
    const limit = positiveInt(values, "limit");
    const params = { ...(limit !== undefined && { limit }), ...(typeof values.before === "string" && { before: values.before }) };
    let records: UsageRecord[];
    let next: string | null = null;
    if (values.all) {
      records = [];
      for await (const record of client.usage.all({ limit: 100, ...params })) records.push(record);
    } else {
      const page = await client.usage.list(params);
      records = page.data;
      next = page.has_more ? page.last_id : null;
    }
    if (values.json) return context.out(JSON.stringify(records, null, 2));
    if (records.length === 0) return context.out("no usage");
    for (const r of records) context.out(`${r.created_at}  ${r.operation.padEnd(20)} ${r.model}  ${r.units} ${r.unit}${r.units === 1 ? "" : "s"}  ${r.cost} tinybars  ${r.source}  ${r.id}`);
    const total = records.reduce((sum, r) => sum + BigInt(r.cost), 0n);
    context.out(`${records.length} request${records.length === 1 ? "" : "s"}, ${total} tinybars (${hbar(total.toString())})`);
    if (next) context.out(`more: tensornode usage --before ${next}`);
  },
});

export const usageCommands: Command[] = [usage];
