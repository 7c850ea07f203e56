import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { commands } from "../src/commands/index.js";
import { progressLine } from "../src/commands/miner.js";
import { findCommand } from "../src/registry.js";

const capture = () => {
  const out: string[] = [];
  return { out, context: { env: {}, out: (l: string) => void out.push(l), err: (l: string) => void out.push(l) } };
};

describe("tensornode CLI", () => {
  it("finds commands by their words and leaves the rest as arguments", () => {
    expect(findCommand(commands, ["miner", "register", "--endpoint", "x"])).toMatchObject({ command: { path: ["miner", "register"] }, rest: ["--endpoint", "x"] });
    expect(findCommand(commands, ["nope", "list"])).toBeUndefined();
  });

  it("prints help and per-command usage", async () => {
    const { out, context } = capture();
    expect(await main(["--help"], context)).toBe(0);
    expect(out.join("\n")).toMatch(/miner provision/);
    expect(await main(["miner", "status", "--help"], context)).toBe(0);
    expect(out.at(-1)).toMatch(/^usage: tensornode miner status/);
  });

  it("refuses unknown options and missing identities with a readable message", async () => {
    await expect(main(["miner", "register", "--nope"], capture().context)).rejects.toThrow(/Unknown option '--nope'; usage: tensornode miner register/);
    await expect(main(["miner", "register", "--endpoint", "http://127.0.0.1:9"], capture().context)).rejects.toThrow("give the miner's Hedera account with --account or TENSORNODE_MINER_ACCOUNT");
    await expect(main(["miner", "provision", "--model", "bad", "--account", "0.0.1"], { ...capture().context, env: { TENSORNODE_MINER_KEY: "k" } })).rejects.toThrow("--model must be <id>:<modality>:<price>, got 'bad'");
  });

  it("turns the miner's engine log lines into progress lines", () => {
    expect(progressLine('{"level":"info","message":"engine ready","modality":"llm","models":["stories260K"],"loadMs":2954}')).toBe("  ✓ llm: stories260K loaded in 2954 ms");
    expect(progressLine("miner: listening on http://127.0.0.1:4200")).toBe("miner: listening on http://127.0.0.1:4200");
  });
});
