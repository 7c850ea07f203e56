import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";

export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, which is then closed. */
  input?: string | Buffer;
  timeoutMs: number;
  /** stdout beyond this is an error (a runaway process). Default 64 MiB. */
  maxOutputBytes?: number;
  cwd?: string;
}

/** A process that could not start (ENOENT...), ran out of time, or printed too much. */
export class ProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProcessError";
  }
}

/**
 * Runs `file` with an argument array (no shell), collecting stdout and the end of stderr. Resolves
 * with the exit code whatever it is; rejects only when the process cannot start or is killed for
 * exceeding `timeoutMs` or the output cap.
 */
export function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const maxOutput = options.maxOutputBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], ...(options.cwd && { cwd: options.cwd }) });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failure: ProcessError | undefined;
    const kill = (message: string) => {
      failure ??= new ProcessError(message);
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`${file} did not finish within ${options.timeoutMs} ms`), options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput) kill(`${file} printed more than ${maxOutput} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr = (stderr + text).slice(-4096);
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new ProcessError(`could not run ${file}: ${error.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else resolve({ code, stdout: Buffer.concat(chunks), stderr });
    });
    // A process that exits without reading its stdin gives EPIPE; the exit code tells what happened.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** The executable's path when `name` (a path, or a command looked up on PATH) can be run, else undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const candidates = isAbsolute(name) || name.includes("/") ? [name] : (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs `work` in a fresh private temporary directory that is removed afterwards, whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tensornode-miner-"));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The last non-empty line of a tool's stderr, for a one-line reason. */
export const lastLine = (text: string): string => text.trim().split("\n").filter((l) => l.trim() !== "").pop()?.trim() ?? "";
