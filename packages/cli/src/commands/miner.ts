import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { registrationModelsOf, type ListedMinerModel } from "@tensornode/core";
import { apiUrlOf, callApi, minerIdentity } from "../api.js";
import { CliError } from "../errors.js";
import type { Command, CommandContext, Options } from "../registry.js";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const api: Options = { "api-url": { type: "string" } };
const identity: Options = { account: { type: "string" }, "key-file": { type: "string" } };
const PROVISION_STAGES = ["queued", "provisioning", "reachable", "registered"];

interface PublicMiner {
  id: string;
  endpoint: string;
  models: Array<{ id: string; modality: string; pricePerUnit: string }>;
  healthy: boolean | null;
  last_heartbeat_at: string | null;
  hosted_by?: string | null;
}
interface HostingJob {
  id: string;
  status: string;
  error: { message: string } | null;
  result: { miner?: PublicMiner } | null;
  progress: { stage: string; endpoint?: string; hostId?: string; reason?: string; teardown?: string };
}

const price = (value: unknown): string => {
  const text = String(value ?? "");
  if (!/^\d{1,18}$/.test(text)) throw new CliError(`--price must be a whole number of tinybars, got '${text}'`);
  return text;
};

/** `tensornode miner start`: runs the reference miner and shows engine loading as it happens. */
const start: Command = {
  path: ["miner", "start"],
  summary: "run the reference miner (flags are passed to it: --port, --dispatch-account, --dispatch-key, ...)",
  usage: "[--port 4200] --dispatch-account <0.0.x> --dispatch-key <hex> [miner flags]",
  options: {},
  passThrough: true,
  async run(_values, positionals, context) {
    const child = spawn(process.execPath, ["--import", "tsx", "packages/miner/src/cli.ts", ...positionals], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "pipe"] });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    createInterface({ input: child.stderr!, crlfDelay: Infinity }).on("line", (line) => context.err(progressLine(line)));
    return new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(signal ? 0 : (code ?? 1))));
  },
};

/** Turns the miner's JSON log lines into short progress lines; its own `miner:` lines pass unchanged. */
export function progressLine(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const entry = JSON.parse(line) as { level?: string; message?: string; modality?: string; models?: string[]; loadMs?: number; reason?: string };
    if (entry.message === "engine ready") return `  ✓ ${entry.modality}: ${entry.models?.join(", ")} loaded in ${entry.loadMs} ms`;
    if (entry.modality && entry.level === "warn") return `  ✗ ${entry.modality}: ${entry.reason ?? entry.message}`;
    return `  ${entry.level ?? "info"}: ${entry.message}${entry.modality ? ` (${entry.modality})` : ""}`;
  } catch {
    return line;
  }
}

/** `tensornode miner register`: signed registration of a running miner, models read from its /v1/models. */
const register: Command = {
  path: ["miner", "register"],
  summary: "register a running miner's endpoint, models and prices (signed with the miner's Hedera key)",
  usage: "--endpoint <url> [--public-endpoint <url>] [--price <tinybars>] [--account 0.0.x] [--key-file <file>] [--api-url <url>]",
  options: { ...api, ...identity, endpoint: { type: "string" }, "public-endpoint": { type: "string" }, price: { type: "string" } },
  async run(values, _positionals, context) {
    const endpoint = (values.endpoint as string | undefined)?.replace(/\/+$/, "");
    if (!endpoint) throw new CliError("give the miner's --endpoint (e.g. http://127.0.0.1:4200)");
    const me = minerIdentity(values, context.env);
    const apiUrl = apiUrlOf(values, context.env);
    context.out(`reading models from ${endpoint}/v1/models ...`);
    let listed: { data?: ListedMinerModel[] };
    try {
      const response = await fetch(`${endpoint}/v1/models`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      listed = (await response.json()) as typeof listed;
    } catch (error) {
      throw new CliError(`cannot read the miner's models at ${endpoint}/v1/models (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`);
    }
    const fixed = values.price === undefined ? undefined : price(values.price);
    const models = registrationModelsOf(listed.data ?? [], fixed);
    if (models.length === 0) throw new CliError(`the miner at ${endpoint} serves no models`);
    const registered = await callApi<PublicMiner>(apiUrl, "POST", "/v1/miners", { identity: me, body: { endpoint: (values["public-endpoint"] as string | undefined) ?? endpoint, models } });
    context.out(`registered miner ${registered.id} at ${registered.endpoint}`);
    for (const m of registered.models) context.out(`  ${m.modality.padEnd(11)} ${m.id}  ${m.pricePerUnit} tinybars/unit`);
  },
};

/** `tensornode miner status`: one miner (`--account` or TENSORNODE_MINER_ACCOUNT) or all of them. */
const status: Command = {
  path: ["miner", "status"],
  summary: "show a registered miner (--account) or list all",
  usage: "[--account 0.0.x | --all] [--json] [--api-url <url>]",
  options: { ...api, account: { type: "string" }, all: { type: "boolean" }, json: { type: "boolean" } },
  async run(values, _positionals, context) {
    const apiUrl = apiUrlOf(values, context.env);
    const { data } = await callApi<{ data: PublicMiner[] }>(apiUrl, "GET", "/v1/miners");
    const account = values.all ? undefined : ((values.account as string | undefined) ?? context.env.TENSORNODE_MINER_ACCOUNT);
    const shown = account ? data.filter((m) => m.id === account) : data;
    if (account && shown.length === 0) throw new CliError(`account ${account} is not a registered miner`);
    if (values.json) return context.out(JSON.stringify(account ? shown[0] : shown, null, 2));
    if (shown.length === 0) return context.out("no miners registered");
    for (const m of shown) {
      const health = m.healthy === null ? "not probed yet" : m.healthy ? "healthy" : "unhealthy";
      context.out(`${m.id}  ${m.endpoint}  ${health}${m.hosted_by ? `  hosted on ${m.hosted_by}` : ""}  last heartbeat ${m.last_heartbeat_at ?? "never"}`);
      for (const model of m.models) context.out(`  ${model.modality.padEnd(11)} ${model.id}  ${model.pricePerUnit} tinybars/unit`);
    }
  },
};

/** `tensornode miner deregister`: signed DELETE; a hosted miner's host is torn down. */
const deregister: Command = {
  path: ["miner", "deregister"],
  summary: "deregister the miner (a host the network runs for it is torn down)",
  usage: "[--account 0.0.x] [--key-file <file>] [--api-url <url>]",
  options: { ...api, ...identity },
  async run(values, _positionals, context) {
    const me = minerIdentity(values, context.env);
    const result = await callApi<{ host_teardown_job?: string }>(apiUrlOf(values, context.env), "DELETE", "/v1/miners/me", { identity: me });
    context.out(`deregistered miner ${me.accountId}`);
    if (result.host_teardown_job) context.out(`its host is being torn down (job ${result.host_teardown_job})`);
  },
};

/** `tensornode miner provision`: asks the network for a host and follows the job to registration. */
const provision: Command = {
  path: ["miner", "provision"],
  summary: "ask the network to host a miner (Fluence VM in production) and follow it until registered",
  usage: "--model <id>:<modality>:<price> [--model ...] [--timeout <seconds>] [--account 0.0.x] [--key-file <file>] [--api-url <url>]",
  options: { ...api, ...identity, model: { type: "string", multiple: true }, timeout: { type: "string", default: "900" }, interval: { type: "string", default: "2" } },
  async run(values, _positionals, context) {
    const specs = (values.model as string[] | undefined) ?? ["stories260K:llm:10"];
    const models = specs.map((spec) => {
      const [id, modality, each] = spec.split(":");
      if (!id || !modality || each === undefined) throw new CliError(`--model must be <id>:<modality>:<price>, got '${spec}'`);
      return { id, modality, pricePerUnit: price(each) };
    });
    const me = minerIdentity(values, context.env);
    const apiUrl = apiUrlOf(values, context.env);
    const timeoutMs = Number(values.timeout) * 1000;
    const intervalMs = Number(values.interval) * 1000;
    if (!(timeoutMs > 0) || !(intervalMs > 0)) throw new CliError("--timeout and --interval must be positive numbers of seconds");
    const job = await callApi<HostingJob>(apiUrl, "POST", "/v1/miners/hosts", { identity: me, body: { models } });
    context.out(`host requested (job ${job.id})`);
    await follow(apiUrl, me, job, { timeoutMs, intervalMs }, context);
  },
};

async function follow(apiUrl: string, me: ReturnType<typeof minerIdentity>, first: HostingJob, limits: { timeoutMs: number; intervalMs: number }, context: CommandContext) {
  const started = Date.now();
  let shown = -1;
  for (let job = first; ; ) {
    const index = PROVISION_STAGES.indexOf(job.progress.stage);
    for (let i = shown + 1; i <= index; i++) {
      const stage = PROVISION_STAGES[i]!;
      const detail = stage === "provisioning" && job.progress.hostId ? ` (host ${job.progress.hostId})` : stage === "reachable" || stage === "registered" ? ` at ${job.progress.endpoint}` : "";
      context.out(`[${PROVISION_STAGES.indexOf(stage) + 1}/${PROVISION_STAGES.length}] ${stage}${detail}  ${Math.round((Date.now() - started) / 1000)} s`);
      shown = i;
    }
    if (job.status === "succeeded") return context.out(`miner ${job.result?.miner?.id ?? me.accountId} is registered at ${job.progress.endpoint}`);
    if (job.status === "failed") {
      const teardown = job.progress.teardown === "failed" ? "; its host could NOT be destroyed (reported to the operators)" : "";
      throw new CliError(`provisioning failed: ${job.error?.message ?? job.progress.reason ?? "unknown reason"}${teardown}`);
    }
    if (Date.now() - started > limits.timeoutMs) throw new CliError(`still ${job.progress.stage} after ${limits.timeoutMs / 1000} s; check again with the job ${job.id}`);
    await new Promise((resolve) => setTimeout(resolve, limits.intervalMs));
    job = await callApi<HostingJob>(apiUrl, "GET", `/v1/miners/hosts/jobs/${job.id}`, { identity: me });
  }
}

export const minerCommands: Command[] = [start, register, status, deregister, provision];
