import OpenAI from "openai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rootDir } from "./harness.js";

/**
 * `npm start`'s program as a user runs it: a real child process that boots the network, prints its
 * URLs, writes `.tensornode/local.json`, survives a restart with its data, explains a busy port in
 * one line, and leaves nothing behind after SIGTERM.
 */
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => children.splice(0).forEach((c) => c.exitCode === null && c.kill("SIGKILL")));

function startCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", join(rootDir, "packages/local/src/cli.ts")], {
    cwd: rootDir,
    env: { ...process.env, ...env },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s; stderr: ${stderr}`)), 60_000);
    child.stdout.on("data", () => stdout.includes("Press Ctrl-C") && (clearTimeout(timer), resolve()));
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`exited with ${code}: ${stderr}`))));
  });
  ready.catch(() => {}); // only the tests that await it care
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

const PORTS_USED = 12; // API, WebSocket, dashboard, DynamoDB, SQS, Hedera consensus, mirror gRPC, mirror REST, 3 miners, streaming API

/** A base port with all the network's ports free (it uses base..base+11). */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await Promise.all(Array.from({ length: PORTS_USED }, (_, i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

describe("npm start (the local network CLI)", () => {
  it("starts, serves, keeps its data across a restart, and stops cleanly on SIGTERM", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "tn-state-"));
    const base = await freeBase();
    const env = { TENSORNODE_PORT_BASE: String(base), TENSORNODE_STATE_DIR: stateDir };

    // First run: URLs printed and written with the demo key (owner-only file).
    const first = startCli(env);
    await first.ready;
    expect(first.output().stdout).toContain(`http://127.0.0.1:${base}`);
    const stateFile = join(stateDir, "local.json");
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { urls: { api: string; websocket: string; dashboard: string }; demo: { apiKey: string } };
    expect(state.urls).toMatchObject({ api: `http://127.0.0.1:${base}`, websocket: `ws://127.0.0.1:${base + 1}`, dashboard: `http://127.0.0.1:${base + 2}`, stream: `http://127.0.0.1:${base + 11}` });
    const headers = { authorization: `Bearer ${state.demo.apiKey}`, "content-type": "application/json" };
    const job = (await (await fetch(`${state.urls.api}/v1/jobs`, { method: "POST", headers, body: '{"kind":"canary"}' })).json()) as { id: string };
    expect((await fetch(`${state.urls.dashboard}/`)).status).toBe(200);
    // Hedera: accounts provisioned, keys only in hedera.json (owner-only), never printed or in local.json.
    const hederaFile = join(stateDir, "hedera.json");
    expect(statSync(hederaFile).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(readFileSync(hederaFile, "utf8")) as { genesisKey: string; treasury: { accountId: string; privateKey: string }; miners: Array<{ privateKey: string }> };
    const secrets = [keys.genesisKey, keys.treasury.privateKey, ...keys.miners.map((m) => m.privateKey)];
    const everythingShown = readFileSync(stateFile, "utf8") + first.output().stdout + first.output().stderr;
    for (const secret of secrets) expect(everythingShown).not.toContain(secret);
    const hedera = (state as unknown as { hedera: { treasuryAccountId: string; minerAccountIds: string[] } }).hedera;
    expect(hedera).toMatchObject({ treasuryAccountId: keys.treasury.accountId, minerAccountIds: [expect.any(String), expect.any(String), expect.any(String)] });
    // Three reference miners run, registered under their own accounts, refusing unsigned work.
    const registered = (await (await fetch(`${state.urls.api}/v1/miners`)).json()) as { data: Array<{ id: string; endpoint: string; models: Array<{ modality: string }> }> };
    expect(registered.data.map((m) => m.id).sort()).toEqual([...hedera.minerAccountIds].sort());
    expect(registered.data[0]!.models.map((m) => m.modality)).toContain("llm");
    const unsigned = await fetch(`${registered.data[0]!.endpoint}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"model":"x","messages":[]}' });
    expect(unsigned.status).toBe(401);
    // A newcomer's first calls: the official openai client with the demo key from local.json, on the
    // funded demo account (a real 500 ℏ deposit), plain and streamed.
    const openai = new OpenAI({ baseURL: `${state.urls.api}/v1`, apiKey: state.demo.apiKey, maxRetries: 0 });
    const balanceOf = async () => BigInt(((await (await fetch(`${state.urls.api}/v1/account`, { headers })).json()) as { balance: string }).balance);
    expect(await balanceOf()).toBe(50_000_000_000n);
    const completion = await openai.chat.completions.create({ model: "stories260K", messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 12 });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const streamed = new OpenAI({ baseURL: `${(state.urls as { stream?: string }).stream}/v1`, apiKey: state.demo.apiKey, maxRetries: 0 });
    let text = "";
    for await (const chunk of await streamed.chat.completions.create({ model: "stories260K", messages: [{ role: "user", content: "Once" }], max_tokens: 8, stream: true })) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    // A stream is charged when it ends, in the background: wait for both records to land.
    for (let i = 0; i < 50 && ((await (await fetch(`${state.urls.api}/v1/usage`, { headers })).json()) as { data: unknown[] }).data.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const charged = 50_000_000_000n - (await balanceOf());
    expect(charged).toBeGreaterThan(0n);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    for (let i = 0; i < PORTS_USED; i++) expect(await portIsFree(base + i)).toBe(true);

    // Second run on the same state: same key, same job.
    const second = startCli(env);
    await second.ready;
    const again = JSON.parse(readFileSync(stateFile, "utf8")) as typeof state;
    expect(again.demo.apiKey).toBe(state.demo.apiKey);
    expect(JSON.parse(readFileSync(join(stateDir, "hedera.json"), "utf8")).treasury.accountId).toBe(keys.treasury.accountId);
    const fetched = await fetch(`${state.urls.api}/v1/jobs/${job.id}`, { headers });
    expect(fetched.status).toBe(200);
    // The balance survived the restart, and the account was not funded a second time.
    expect(await balanceOf()).toBe(50_000_000_000n - charged);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    for (let i = 0; i < PORTS_USED; i++) expect(await portIsFree(base + i)).toBe(true);
  });

  it("explains a port that is already in use in one line", async () => {
    const base = await freeBase();
    const blocker = createServer().listen(base, "127.0.0.1");
    await new Promise((resolve) => blocker.once("listening", resolve));
    try {
      const run = startCli({ TENSORNODE_PORT_BASE: String(base), TENSORNODE_STATE_DIR: mkdtempSync(join(tmpdir(), "tn-state-")) });
      expect(await run.exited).toBe(1);
      const lines = run.output().stderr.trim().split("\n").filter((l) => l.startsWith("tensornode:"));
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^tensornode: Port ${base} \\(HTTP API\\) is already in use`))]);
      expect(run.output().stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it("explains a missing Java in one line", async () => {
    const run = startCli({ PATH: "/nonexistent", TENSORNODE_PORT_BASE: String(await freeBase()), TENSORNODE_STATE_DIR: mkdtempSync(join(tmpdir(), "tn-state-")) });
    expect(await run.exited).toBe(1);
    expect(run.output().stderr.trim()).toMatch(/^tensornode: Java 17\+ is required/);
  });
});
