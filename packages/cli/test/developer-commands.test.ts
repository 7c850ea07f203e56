import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootDir, startTestNetwork, type TestNetwork } from "../../../test/e2e/harness.js";
import { main } from "../src/cli.js";
import { hbar } from "../src/commands/sdk-client.js";

/** The developer commands (built on @tensornode/sdk) against the real local network with one miner. */
let t: TestNetwork;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  t = await startTestNetwork({ miners: 1 });
  // An empty state dir, so the repository's own .tensornode/local.json is never read.
  env = { TENSORNODE_API_URL: t.network.urls.api, TENSORNODE_WS_URL: t.network.urls.websocket, TENSORNODE_API_KEY: t.apiKey, TENSORNODE_STATE_DIR: mkdtempSync(join(tmpdir(), "tn-cli-")) };
}, 240_000);
afterAll(async () => t?.close());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env, out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("tensornode developer commands", () => {
  it("account: balance in HBAR and tinybars; account open signs with the Hedera key", async () => {
    expect((await run("account")).out).toMatch(new RegExp(`account  ${t.network.demo.ownerId}\\nbalance  \\d+\\.\\d{8} ℏ \\(\\d+ tinybars\\)`));
    const developer = t.network.hedera.accounts.validators[1]!;
    const keyFile = join(env.TENSORNODE_STATE_DIR!, "developer.key");
    writeFileSync(keyFile, `${developer.privateKey}\n`, { mode: 0o600 });
    const opened = await run("account", "open", "--account", developer.accountId, "--key-file", keyFile, "--json");
    expect(JSON.parse(opened.out)).toMatchObject({ id: developer.accountId, balance: "0", api_key: { secret: expect.any(String) } });
    await expect(run("account", "open", "--account", developer.accountId, "--key-file", keyFile)).rejects.toThrow(/already exists.*\(HTTP 409, invalid_request_error\)/);
  }, 30_000);

  it("keys create, list and revoke", async () => {
    const created = JSON.parse((await run("keys", "create", "--name", "cli", "--rate-limit", "5", "--spend-limit", "1000", "--json")).out) as { id: string; secret: string };
    expect((await run("keys", "list")).out).toMatch(new RegExp(`${created.id}  active .* cli  spent 0  \\(5/min, spend ≤ 1000\\)`));
    expect((await run("keys", "revoke", "--id", created.id)).out).toBe(`revoked key ${created.id} (cli)`);
  });

  it("jobs submit --wait, get, wait and watch; chat streams over the WebSocket; usage lists what was charged", async () => {
    const submitted = await run("jobs", "submit", "--kind", "canary", "--input", '{"message":"cli"}', "--wait", "--json");
    const job = JSON.parse(submitted.out) as { id: string; status: string };
    expect(job.status).toBe("succeeded");
    expect((await run("jobs", "get", "--id", job.id)).out).toContain(`${job.id}  canary  succeeded`);
    expect((await run("jobs", "wait", "--id", job.id, "--timeout", "5")).code).toBe(0);
    expect((await run("jobs", "watch", "--id", job.id)).out).toContain("succeeded");

    const chat = await run("chat", "--model", "stories260K", "--message", "Once upon a time", "--max-tokens", "8");
    expect(chat.code).toBe(0);
    expect(chat.out.length).toBeGreaterThan(0);
    expect(chat.err).toMatch(/\d+ prompt \+ \d+ completion tokens, served by 0\.0\.\d+/);

    const usage = await run("usage", "--all");
    expect(usage.out).toMatch(/chat\.completions\s+stories260K/);
    expect(usage.out).toMatch(/\d+ requests?, \d+ tinybars \(\d+\.\d{8} ℏ\)/);
  }, 30_000);

  it("API errors are one readable line", async () => {
    await expect(run("jobs", "get", "--id", "job_nope")).rejects.toThrow(/^No job with id 'job_nope'.* \(HTTP 404, not_found_error/);
    await expect(run("keys", "create", "--rate-limit", "x")).rejects.toThrow("--rate-limit must be a positive whole number, got 'x'");
    await expect(run("jobs", "submit", "--kind", "canary", "--input", "{")).rejects.toThrow(/^--input is not valid JSON/);
    await expect(run("chat", "--model", "no-such-model", "--message", "hi")).rejects.toThrow(/\(HTTP 404, not_found_error, param model\)/);
  });

  it("the tensornode binary prints an API error as one line on stderr and exits 1", async () => {
    const bin = join(rootDir, "packages/cli/bin/tensornode.mjs");
    const result = await promisify(execFile)(process.execPath, [bin, "keys", "list"], { env: { ...process.env, ...env, TENSORNODE_API_KEY: "tn_bogus" }, cwd: rootDir }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^tensornode: .*\(HTTP 401, authentication_error\)/);
  }, 30_000);

  it("formats tinybars as HBAR without floats", () => {
    expect(hbar("123456789012")).toBe("1234.56789012 ℏ");
    expect(hbar("-5")).toBe("-0.00000005 ℏ");
  });
});
