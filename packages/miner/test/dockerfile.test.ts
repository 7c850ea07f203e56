import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { minerCloudInit } from "../../fluence/src/cloud-init.js";
import { DEFAULT_MINER_IMAGE, DEFAULT_MINER_PORT } from "../../../functions/lib/hosting.js";
import { MINER_CONFIG_ENV } from "../../fluence/src/host-provider.js";

/**
 * No Docker engine here, so the image definition is checked by reading it: what it COPYs exists,
 * its entry runs the miner CLI with flags the CLI knows, the environment it reads is what the
 * Fluence cloud-init writes, and the port agrees everywhere.
 */
const root = resolve(import.meta.dirname, "../../..");
const dockerfile = readFileSync(resolve(root, "packages/miner/Dockerfile"), "utf8");
const entrypoint = readFileSync(resolve(root, "packages/miner/docker-entrypoint.sh"), "utf8");
const minerCli = readFileSync(resolve(root, "packages/miner/src/cli.ts"), "utf8");
const instructions = dockerfile.replace(/\\\n/g, " ").split("\n").filter((l) => /^[A-Z]+\s/.test(l));
const of = (name: string) => instructions.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());

describe("packages/miner/Dockerfile", () => {
  it("uses Node 22, runs as a non-root user and skips the onnxruntime download", () => {
    expect(of("FROM")[0]).toMatch(/^node:22[-.\w]*$/);
    expect(of("USER")).toEqual(["node"]);
    expect(of("ENV").join(" ")).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(of("RUN").join(" ")).toMatch(/npm ci --workspace @tensornode\/miner --include-workspace-root --include=dev/);
  });

  it("installs the Debian packages the engines need", () => {
    const apt = of("RUN").find((r) => r.includes("apt-get install"))!;
    for (const pkg of ["pocketsphinx", "pocketsphinx-en-us", "apertium", "apertium-eng-spa", "flite", "sox"]) expect(apt.split(/\s+/)).toContain(pkg);
  });

  it("COPYs only files that exist, and its command is the entrypoint script", () => {
    for (const copy of of("COPY")) {
      const parts = copy.split(/\s+/).filter((p) => !p.startsWith("--"));
      for (const source of parts.slice(0, -1)) expect(existsSync(resolve(root, source)), source).toBe(true);
    }
    expect(of("CMD")).toEqual(['["/usr/local/bin/tensornode-miner"]']);
    expect(of("COPY")).toContain("--chmod=0755 packages/miner/docker-entrypoint.sh /usr/local/bin/tensornode-miner");
    const runs = /exec node --import tsx (\S+)/.exec(entrypoint)![1]!;
    expect(existsSync(resolve(root, runs))).toBe(true);
  });

  it("passes only flags the miner CLI parses", () => {
    const code = entrypoint.split("\n").filter((l) => !l.trimStart().startsWith("#")).join("\n");
    const flags = [...code.matchAll(/(?<![\w-])--([a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== "import");
    expect(flags.length).toBeGreaterThan(4);
    for (const flag of new Set(flags)) expect(minerCli, `--${flag}`).toMatch(new RegExp(`["']?${flag}["']?: \\{ type:`));
  });

  it("turns the LLM variables into flags, and leaves the upstream key in the environment only", () => {
    // A stand-in `node` first on PATH prints the arguments the entrypoint execs it with.
    const bin = mkdtempSync(join(tmpdir(), "entrypoint-"));
    writeFileSync(join(bin, "node"), '#!/bin/sh\nprintf "%s\\n" "$@"\nprintf "key=%s\\n" "$TENSORNODE_LLM_UPSTREAM_KEY"\n');
    chmodSync(join(bin, "node"), 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      TENSORNODE_DISPATCH_ACCOUNT: "0.0.1",
      TENSORNODE_DISPATCH_PUBLIC_KEY: "ab",
      TENSORNODE_LLM_MODEL_ID: "remote-llama",
      TENSORNODE_LLM_UPSTREAM: "http://vllm:8000/v1",
      TENSORNODE_LLM_UPSTREAM_MODEL: "meta-llama/Llama-3.1-8B-Instruct",
      TENSORNODE_LLM_UPSTREAM_KEY: "sk-secret",
    };
    const lines = execFileSync("sh", [resolve(root, "packages/miner/docker-entrypoint.sh")], { env, encoding: "utf8" }).trim().split("\n");
    const args = lines.slice(0, -1);
    expect(args.slice(0, 3)).toEqual(["--import", "tsx", "packages/miner/src/cli.ts"]);
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag("--llm-model-id")).toBe("remote-llama");
    expect(flag("--llm-upstream")).toBe("http://vllm:8000/v1");
    expect(flag("--llm-upstream-model")).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(args.join(" ")).not.toContain("sk-secret");
    expect(lines.at(-1)).toBe("key=sk-secret");
    expect(minerCli).toContain("process.env.TENSORNODE_LLM_UPSTREAM_KEY");
    // Without the variables, none of the flags.
    const plain = execFileSync("sh", [resolve(root, "packages/miner/docker-entrypoint.sh")], { env: { PATH: env.PATH, TENSORNODE_DISPATCH_ACCOUNT: "0.0.1", TENSORNODE_DISPATCH_PUBLIC_KEY: "ab" }, encoding: "utf8" });
    expect(plain).not.toMatch(/--llm-/);
  });

  it("reads exactly the environment the Fluence cloud-init writes, on the port it opens", () => {
    const read = new Set([...entrypoint.matchAll(/\$\{?([A-Z_]+)/g)].map((m) => m[1]!));
    const cloudInit = minerCloudInit({
      image: DEFAULT_MINER_IMAGE,
      port: DEFAULT_MINER_PORT,
      env: { TENSORNODE_DISPATCH_ACCOUNT: "0.0.1", TENSORNODE_DISPATCH_PUBLIC_KEY: "ab", TENSORNODE_DISPATCH_KEY_TYPE: "ED25519", [MINER_CONFIG_ENV]: "{}" },
    });
    const written = [...cloudInit.matchAll(/^ {6}([A-Z_]+)=/gm)].map((m) => m[1]!);
    expect(written.sort()).toEqual(["PORT", "TENSORNODE_DISPATCH_ACCOUNT", "TENSORNODE_DISPATCH_KEY_TYPE", "TENSORNODE_DISPATCH_PUBLIC_KEY", MINER_CONFIG_ENV].sort());
    for (const name of written) expect(read, name).toContain(name);
    expect(of("EXPOSE")).toEqual([String(DEFAULT_MINER_PORT)]);
    expect(cloudInit).toContain(`"-p", "${DEFAULT_MINER_PORT}:${DEFAULT_MINER_PORT}", "${DEFAULT_MINER_IMAGE}"`);
    expect(of("HEALTHCHECK")[0]).toMatch(/\/health/);
  });
});
