import { spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A missing prerequisite, explained in one line for the person at the terminal. */
export class PrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrerequisiteError";
  }
}

/** DynamoDB Local needs Java 17 or newer on the PATH. */
export function requireJava(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError("Java 17+ is required for DynamoDB Local but 'java' was not found. Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless) and run again.");
  }
  const version = /version "(\d+)/.exec(result.stderr)?.[1];
  if (version && Number(version) < 17) throw new PrerequisiteError(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
}

/** Resolves the port if it can be bound on 127.0.0.1; 0 picks a free one. */
export function reservePort(port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new PrerequisiteError(`Port ${port} (${what}) is already in use on 127.0.0.1. Stop whatever uses it or choose another port (see README, "Ports").`)
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}
