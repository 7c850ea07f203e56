import { readFileSync } from "node:fs";
import { signRequest } from "@tensornode/core";
import { CliError } from "./errors.js";

/** Default API: the local network (`npm start`). */
export const DEFAULT_API_URL = "http://127.0.0.1:4100";

export function apiUrlOf(values: { "api-url"?: unknown }, env: NodeJS.ProcessEnv): string {
  const url = (values["api-url"] as string | undefined) ?? env.TENSORNODE_API_URL ?? DEFAULT_API_URL;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new CliError(`--api-url must be an http(s) URL, got '${url}'`);
  return url.replace(/\/+$/, "");
}

export interface MinerIdentity {
  accountId: string;
  privateKey: string;
}

/** The miner's Hedera account and key: --account / TENSORNODE_MINER_ACCOUNT, --key-file / TENSORNODE_MINER_KEY. */
export function minerIdentity(values: { account?: unknown; "key-file"?: unknown }, env: NodeJS.ProcessEnv): MinerIdentity {
  const accountId = (values.account as string | undefined) ?? env.TENSORNODE_MINER_ACCOUNT;
  if (!accountId) throw new CliError("give the miner's Hedera account with --account or TENSORNODE_MINER_ACCOUNT");
  if (!/^\d+\.\d+\.\d+$/.test(accountId)) throw new CliError(`the account must look like 0.0.1234, got '${accountId}'`);
  let privateKey: string | undefined;
  const keyFile = values["key-file"] as string | undefined;
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile, "utf8").trim();
    } catch (error) {
      throw new CliError(`cannot read --key-file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else {
    privateKey = env.TENSORNODE_MINER_KEY;
  }
  if (!privateKey) throw new CliError("give the miner's Hedera private key with --key-file or TENSORNODE_MINER_KEY");
  return { accountId, privateKey };
}

/** One API call, signed with the miner's key when `identity` is given. Non-2xx → CliError with the API's message. */
export async function callApi<T = Record<string, unknown>>(apiUrl: string, method: string, path: string, options: { body?: unknown; identity?: MinerIdentity } = {}): Promise<T> {
  const text = options.body === undefined ? "" : JSON.stringify(options.body);
  let headers: Record<string, string> = text ? { "content-type": "application/json" } : {};
  if (options.identity) {
    try {
      headers = { ...headers, ...signRequest({ method, path, body: text }, options.identity.accountId, options.identity.privateKey) };
    } catch (error) {
      throw new CliError(`cannot sign with the given key: ${(error as Error).message}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, { method, headers, ...(text ? { body: text } : {}), signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliError(`cannot reach the API at ${apiUrl} (${why})`);
  }
  const raw = await response.text();
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    throw new CliError(`${method} ${path}: HTTP ${response.status} with a non-JSON body`);
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: string } }).error?.message ?? raw.slice(0, 200);
    throw new CliError(`${method} ${path}: ${message} (HTTP ${response.status})`);
  }
  return body as T;
}
