import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TensorNode, TensorNodeError, type Signer } from "@tensornode/sdk";
import { CliError } from "../errors.js";
import type { Command, CommandContext, Options, Values } from "../registry.js";

/**
 * The developer commands (account, keys, usage, jobs, chat) talk to the API through the SDK. Where
 * to: --api-url / TENSORNODE_API_URL, --ws-url / TENSORNODE_WS_URL, --api-key / TENSORNODE_API_KEY;
 * anything not given comes from the local network's `.tensornode/local.json` (`npm start`), so
 * `tensornode account` works at once on a local checkout.
 */
export const clientOptions: Options = {
  "api-url": { type: "string" },
  "ws-url": { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
};

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

interface LocalState {
  urls?: { api?: string; websocket?: string };
  demo?: { apiKey?: string };
}

function localState(env: NodeJS.ProcessEnv): LocalState {
  const file = join(resolve(env.TENSORNODE_STATE_DIR ?? join(REPO_ROOT, ".tensornode")), "local.json");
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LocalState;
  } catch {
    return {};
  }
}

export function sdkClient(values: Values, env: NodeJS.ProcessEnv, signer?: Signer): TensorNode {
  const local = localState(env);
  const baseURL = (values["api-url"] as string | undefined) ?? env.TENSORNODE_API_URL ?? local.urls?.api ?? "http://127.0.0.1:4100";
  if (!/^https?:\/\/\S+$/.test(baseURL)) throw new CliError(`--api-url must be an http(s) URL, got '${baseURL}'`);
  const websocketURL = (values["ws-url"] as string | undefined) ?? env.TENSORNODE_WS_URL ?? local.urls?.websocket ?? "ws://127.0.0.1:4101";
  const apiKey = (values["api-key"] as string | undefined) ?? env.TENSORNODE_API_KEY ?? local.demo?.apiKey;
  return new TensorNode({ baseURL, websocketURL, apiKey, signer });
}

/** One readable line for any SDK error: the API's message, then status, type and parameter. */
export function describeError(error: TensorNodeError): string {
  const facts = [error.status !== undefined ? `HTTP ${error.status}` : undefined, error.type ?? error.code ?? undefined, error.param ? `param ${error.param}` : undefined].filter(Boolean);
  const retry = "retryAfterSeconds" in error && typeof error.retryAfterSeconds === "number" ? `; retry in ${error.retryAfterSeconds} s` : "";
  return `${error.message.replace(/\s*\n\s*/g, " ")}${facts.length > 0 ? ` (${facts.join(", ")})` : ""}${retry}`;
}

/** A command whose SDK errors become CliErrors (one line on stderr, exit 1). */
export function sdkCommand(command: Command): Command {
  return {
    ...command,
    async run(values, positionals, context: CommandContext) {
      try {
        return await command.run(values, positionals, context);
      } catch (error) {
        if (error instanceof TensorNodeError) throw new CliError(describeError(error));
        throw error;
      }
    },
  };
}

/** Tinybars (a decimal string) as HBAR with all 8 decimals, without floats. */
export function hbar(tinybars: string): string {
  const value = BigInt(tinybars);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, "0")} ℏ`;
}

export function required(values: Values, name: string, what: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new CliError(`give ${what} with --${name}`);
  return value;
}

export function positiveInt(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d+$/.test(value) || Number(value) < 1) throw new CliError(`--${name} must be a positive whole number, got '${String(value)}'`);
  return Number(value);
}
