import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { MinerHostProvider, MinerHostRequest, MinerHostStatus, MinerModel, ProvisionedHost } from "@tensornode/core";

export interface LocalHostProviderOptions {
  /** Repository root: the miner runs as `node --import tsx packages/miner/src/cli.ts`. */
  rootDir: string;
  /** The network's dispatch account and public key; the miner accepts only work it signed. */
  dispatch: { accountId: string; publicKeyHex: string; keyType?: "ED25519" | "ECDSA_SECP256K1" };
  /** Extra miner flags (e.g. `--llm-model <gguf>`). */
  extraArgs?: string[];
  /** The Node binary. Default: the running one. */
  nodePath?: string;
}

interface LocalHost {
  hostId: string;
  name: string;
  child: ChildProcess;
  url: string | null;
  exited: Promise<void>;
  exitDetail: string | null;
  stderrTail: string[];
  dir: string;
}

/** Every miner process any provider in this process started, so nothing outlives the runtime. */
const running = new Set<LocalHost>();
process.once("exit", () => {
  for (const host of running) host.child.kill("SIGKILL");
});

/** Stops every local miner host (the local network's shutdown). */
export async function stopAllLocalHosts(): Promise<void> {
  await Promise.all([...running].map((host) => stop(host)));
}

/**
 * The core's MinerHostProvider on this machine: each host is a real reference-miner process on
 * 127.0.0.1 (port 0: the miner binds a free port and prints its URL). The process gets only a
 * minimal environment (never the runtime's secrets). `destroy` stops it and waits until it exited,
 * so its port is closed when `destroy` returns.
 */
export class LocalHostProvider implements MinerHostProvider {
  readonly provider = "local";
  nodePath: string;
  readonly #hosts = new Map<string, LocalHost>();

  constructor(private readonly options: LocalHostProviderOptions) {
    this.nodePath = options.nodePath ?? process.execPath;
  }

  async provision(request: MinerHostRequest): Promise<ProvisionedHost> {
    const hostId = `local-${request.name}`;
    const existing = this.#hosts.get(hostId);
    if (existing && existing.exitDetail === null) return { hostId, endpoint: existing.url };
    const dir = mkdtempSync(join(tmpdir(), "tn-host-"));
    const configPath = join(dir, "miner.json");
    writeFileSync(configPath, JSON.stringify(minerConfigFor(request.spec.models)), { mode: 0o600 });
    const { dispatch } = this.options;
    const args = [
      "--import", "tsx", join(this.options.rootDir, "packages/miner/src/cli.ts"),
      "--host", "127.0.0.1", "--port", "0", "--config", configPath,
      "--dispatch-account", dispatch.accountId, "--dispatch-key", dispatch.publicKeyHex, "--dispatch-key-type", dispatch.keyType ?? "ED25519",
      ...(this.options.extraArgs ?? []),
    ];
    const env = Object.fromEntries(["PATH", "HOME", "TMPDIR", "LANG"].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    const child = spawn(this.nodePath, args, { cwd: this.options.rootDir, env, stdio: ["ignore", "ignore", "pipe"] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`could not start the miner process: ${(error as Error).message}`);
    }
    let exitResolve!: () => void;
    const host: LocalHost = { hostId, name: request.name, child, url: null, exited: new Promise((r) => (exitResolve = r)), exitDetail: null, stderrTail: [], dir };
    createInterface({ input: child.stderr!, crlfDelay: Infinity }).on("line", (line) => {
      host.stderrTail = [...host.stderrTail.slice(-4), line];
      const listening = /^miner: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening) host.url = listening[1]!;
    });
    child.once("exit", (code, signal) => {
      host.exitDetail = `miner exited (${signal ?? `code ${code}`}): ${host.stderrTail.slice(-3).join(" / ").slice(0, 500)}`;
      running.delete(host);
      rmSync(dir, { recursive: true, force: true });
      exitResolve();
    });
    this.#hosts.set(hostId, host);
    running.add(host);
    return { hostId, endpoint: null };
  }

  async status(hostId: string): Promise<MinerHostStatus> {
    const host = this.#hosts.get(hostId);
    if (!host) return { hostId, state: "gone", endpoint: null };
    if (host.exitDetail !== null) return { hostId, state: "failed", endpoint: null, detail: host.exitDetail };
    if (!host.url) return { hostId, state: "starting", endpoint: null, detail: host.stderrTail.at(-1) ?? "starting" };
    return { hostId, state: "running", endpoint: host.url };
  }

  async destroy(hostId: string): Promise<void> {
    const host = this.#hosts.get(hostId);
    if (!host) return;
    await stop(host);
    this.#hosts.delete(hostId);
  }

  /** Process ids of the live miner processes (tests check they are gone). */
  pids(): number[] {
    return [...this.#hosts.values()].filter((h) => h.exitDetail === null).map((h) => h.child.pid!);
  }

  liveHostIds(): string[] {
    return [...this.#hosts.values()].filter((h) => h.exitDetail === null).map((h) => h.hostId);
  }
}

async function stop(host: LocalHost): Promise<void> {
  if (host.exitDetail !== null) return;
  host.child.kill("SIGTERM");
  const killer = setTimeout(() => host.child.kill("SIGKILL"), 5_000);
  await host.exited;
  clearTimeout(killer);
}

/** The reference miner's config (a partial MinerConfig) that charges the requested prices. */
function minerConfigFor(models: MinerModel[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const modality of ["llm", "embeddings"]) {
    const price = models.find((m) => m.modality === modality)?.pricePerUnit;
    if (price) config[modality] = { price: { unit: "token", tinybarsPerUnit: price } };
  }
  return config;
}
