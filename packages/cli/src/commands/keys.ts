import type { Command } from "../registry.js";
import { CliError } from "../errors.js";
import { clientOptions, positiveInt, required, sdkClient, sdkCommand } from "./sdk-client.js";

const create: Command = sdkCommand({
  path: ["keys", "create"],
  summary: "create an API key (the secret is printed once)",
  usage: "[--name <name>] [--rate-limit <per minute>] [--spend-limit <tinybars>] [--json]",
  options: { ...clientOptions, name: { type: "string" }, "rate-limit": { type: "string" }, "spend-limit": { type: "string" } },
  async run(values, _positionals, context) {
    const spend = values["spend-limit"] as string | undefined;
    if (spend !== undefined && !/^\d{1,18}$/.test(spend)) throw new CliError(`--spend-limit must be a whole number of tinybars, got '${spend}'`);
    const rateLimitPerMinute = positiveInt(values, "rate-limit");
    const key = await sdkClient(values, context.env).keys.create({
      ...(typeof values.name === "string" && { name: values.name }),
      ...(rateLimitPerMinute !== undefined && { rateLimitPerMinute }),
      ...(spend !== undefined && { spendLimitTinybars: spend }),
    });
    if (values.json) return context.out(JSON.stringify(key, null, 2));
    context.out(`created key ${key.id} (${key.name}): ${key.secret}`);
    context.out("keep it now: it is not shown again");
  },
});

const list: Command = sdkCommand({
  path: ["keys", "list"],
  summary: "list the account's API keys",
  usage: "[--json]",
  options: clientOptions,
  async run(values, _positionals, context) {
    const keys = await sdkClient(values, context.env).keys.list();
    if (values.json) return context.out(JSON.stringify(keys, null, 2));
    if (keys.length === 0) return context.out("no keys");
    for (const k of keys) {
      const limits = [k.rate_limit_per_minute !== null ? `${k.rate_limit_per_minute}/min` : undefined, k.spend_limit_tinybars !== null ? `spend ≤ ${k.spend_limit_tinybars}` : undefined].filter(Boolean).join(", ");
      context.out(`${k.id}  ${k.status.padEnd(7)}  …${k.hint}  ${k.name}  spent ${k.spent_tinybars}${limits ? `  (${limits})` : ""}`);
    }
  },
});

const revoke: Command = sdkCommand({
  path: ["keys", "revoke"],
  summary: "revoke an API key at once",
  usage: "--id <key id> [--json]",
  options: { ...clientOptions, id: { type: "string" } },
  async run(values, _positionals, context) {
    const key = await sdkClient(values, context.env).keys.revoke(required(values, "id", "the key id (see tensornode keys list)"));
    if (values.json) return context.out(JSON.stringify(key, null, 2));
    context.out(`revoked key ${key.id} (${key.name})`);
  },
});

export const keysCommands: Command[] = [create, list, revoke];
