import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootDir, startTestNetwork, type TestNetwork } from "./harness.js";

/** The `tensornode` CLI as a child process against the local network (one real reference miner). */
const run = promisify(execFile);
let t: TestNetwork;
let keyFile: string;
beforeAll(async () => {
  t = await startTestNetwork({ miners: 1 });
  keyFile = join(mkdtempSync(join(tmpdir(), "tn-cli-")), "miner.key");
  writeFileSync(keyFile, t.network.hedera.accounts.miners[2]!.privateKey, { mode: 0o600 });
}, 120_000);
afterAll(async () => t?.close());

async function tensornode(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "packages/cli/src/main.ts", ...args], {
      cwd: rootDir,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TENSORNODE_API_URL: t.network.urls.api, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("tensornode miner", () => {
  it("registers a running miner with its models, shows it, and deregisters it", async () => {
    const account = t.network.hedera.accounts.miners[2]!.accountId;
    const endpoint = t.network.urls.miners[0]!;
    const registered = await tensornode(["miner", "register", "--endpoint", endpoint, "--account", account, "--key-file", keyFile, "--price", "21"]);
    expect(registered).toMatchObject({ code: 0, stderr: "" });
    expect(registered.stdout).toContain(`registered miner ${account} at ${endpoint}`);
    expect(registered.stdout).toMatch(/llm\s+stories260K\s+21 tinybars\/unit/);

    const status = await tensornode(["miner", "status", "--json"], { TENSORNODE_MINER_ACCOUNT: account });
    expect(status).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(status.stdout)).toMatchObject({ id: account, endpoint, models: expect.arrayContaining([{ id: "stories260K", modality: "llm", pricePerUnit: "21", contextLength: expect.any(Number), maxCompletionTokens: expect.any(Number) }]) });

    const all = await tensornode(["miner", "status", "--all"]);
    expect(all.stdout).toContain(account);

    const gone = await tensornode(["miner", "deregister"], { TENSORNODE_MINER_ACCOUNT: account, TENSORNODE_MINER_KEY: t.network.hedera.accounts.miners[2]!.privateKey });
    expect(gone).toMatchObject({ code: 0, stdout: `deregistered miner ${account}\n` });
    const after = await tensornode(["miner", "status", "--account", account]);
    expect(after).toMatchObject({ code: 1, stdout: "", stderr: `tensornode: account ${account} is not a registered miner\n` });
  }, 120_000);

  it("follows a provision job through its stages to registration", async () => {
    const account = t.network.hedera.accounts.miners[2]!.accountId;
    const provisioned = await tensornode(["miner", "provision", "--model", "stories260K:llm:19", "--interval", "0.2", "--account", account, "--key-file", keyFile]);
    expect(provisioned.stderr).toBe("");
    expect(provisioned.code).toBe(0);
    const stages = [...provisioned.stdout.matchAll(/^\[(\d)\/4\] (\w+)/gm)].map((m) => m[2]);
    expect(stages).toEqual(["queued", "provisioning", "reachable", "registered"]);
    expect(provisioned.stdout).toMatch(/miner .* is registered at http:\/\/127\.0\.0\.1:\d+/);
    const gone = await tensornode(["miner", "deregister", "--account", account, "--key-file", keyFile]);
    expect(gone.stdout).toMatch(/its host is being torn down \(job job_teardown_/);
  }, 150_000);

  it("explains errors in one line with exit code 1", async () => {
    const noKey = await tensornode(["miner", "deregister", "--account", "0.0.5"]);
    expect(noKey).toMatchObject({ code: 1, stderr: "tensornode: give the miner's Hedera private key with --key-file or TENSORNODE_MINER_KEY\n" });
    const badPrice = await tensornode(["miner", "provision", "--model", "x:llm:-3", "--account", "0.0.5", "--key-file", keyFile]);
    expect(badPrice).toMatchObject({ code: 1, stderr: "tensornode: --price must be a whole number of tinybars, got '-3'\n" });
    const wrongSigner = await tensornode(["miner", "deregister", "--account", "0.0.5", "--key-file", keyFile]);
    expect(wrongSigner.code).toBe(1);
    expect(wrongSigner.stderr).toMatch(/^tensornode: DELETE \/v1\/miners\/me: .*\(HTTP 401\)\n$/);
    const unknown = await tensornode(["miner", "fly"]);
    expect(unknown).toMatchObject({ code: 1, stderr: "tensornode: unknown command 'miner fly'; run tensornode --help\n" });
    expect((await tensornode(["miner", "status", "--api-url", "http://127.0.0.1:65533"])).stderr).toBe("tensornode: cannot reach the API at http://127.0.0.1:65533 (ECONNREFUSED)\n");
  }, 60_000);
});
