import type { Job } from "@tensornode/sdk";
import { CliError } from "../errors.js";
import type { Command, CommandContext, Values } from "../registry.js";
import { clientOptions, positiveInt, required, sdkClient, sdkCommand } from "./sdk-client.js";

function show(job: Job, values: Values, context: CommandContext): number {
  if (values.json) context.out(JSON.stringify(job, null, 2));
  else {
    context.out(`${job.id}  ${job.kind}  ${job.status}`);
    if (job.result !== null) context.out(JSON.stringify(job.result));
    if (job.error) context.err(`job failed: ${job.error.message} (${job.error.code})`);
  }
  return job.status === "failed" ? 1 : 0;
}

const submit: Command = sdkCommand({
  path: ["jobs", "submit"],
  summary: "queue a job (--wait: wait for its result over the WebSocket)",
  usage: "--kind <kind> --input '<json>' [--wait] [--json]",
  options: { ...clientOptions, kind: { type: "string" }, input: { type: "string" }, wait: { type: "boolean" } },
  async run(values, _positionals, context) {
    const kind = required(values, "kind", "the job kind (canary, embeddings, chat.completions, ...)");
    let input: unknown;
    try {
      input = JSON.parse(required(values, "input", "the job input as JSON"));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`--input is not valid JSON: ${(error as Error).message}`);
    }
    const client = sdkClient(values, context.env);
    const job = await client.jobs.submit(kind, input);
    if (!values.wait) return show(job, values, context);
    if (!values.json) context.err(`queued ${job.id}; waiting...`);
    let last = job;
    for await (const update of client.jobs.subscribe(job.id)) last = update;
    return show(last, values, context);
  },
});

const get: Command = sdkCommand({
  path: ["jobs", "get"],
  summary: "show a job",
  usage: "--id <job id> [--json]",
  options: { ...clientOptions, id: { type: "string" } },
  async run(values, _positionals, context) {
    return show(await sdkClient(values, context.env).jobs.get(required(values, "id", "the job id")), values, context);
  },
});

const wait: Command = sdkCommand({
  path: ["jobs", "wait"],
  summary: "poll a job until it succeeds or fails",
  usage: "--id <job id> [--timeout <seconds, default 60>] [--json]",
  options: { ...clientOptions, id: { type: "string" }, timeout: { type: "string" } },
  async run(values, _positionals, context) {
    const timeoutMs = (positiveInt(values, "timeout") ?? 60) * 1000;
    return show(await sdkClient(values, context.env).jobs.wait(required(values, "id", "the job id"), { timeoutMs }), values, context);
  },
});

const watch: Command = sdkCommand({
  path: ["jobs", "watch"],
  summary: "print a job's updates as the WebSocket pushes them, until it ends",
  usage: "--id <job id> [--json]",
  options: { ...clientOptions, id: { type: "string" } },
  async run(values, _positionals, context) {
    let code = 0;
    for await (const job of sdkClient(values, context.env).jobs.subscribe(required(values, "id", "the job id"))) code = show(job, values, context);
    return code;
  },
});

export const jobsCommands: Command[] = [submit, get, wait, watch];
