import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PrerequisiteError, reservePort } from "../src/prerequisites.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** Listens on 127.0.0.1 (port 0: any free one) and resolves the bound port. */
function listen(port: number): Promise<number> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

describe("reservePort", () => {
  it("with 0 resolves a free port that can then be bound", async () => {
    // Act
    const port = await reservePort(0, "test");

    // Assess
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65_536);
    await expect(listen(port)).resolves.toBe(port);
  });

  it("resolves a requested port that is free", async () => {
    // Prepare
    const free = await reservePort(0, "test");

    // Act
    const port = await reservePort(free, "HTTP API");

    // Assess
    expect(port).toBe(free);
  });

  it("refuses a port in use with a one-line PrerequisiteError naming the port and its purpose", async () => {
    // Prepare
    const taken = await listen(0);

    // Act
    const error = await reservePort(taken, "SQS").catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PrerequisiteError);
    const message = (error as PrerequisiteError).message;
    expect(message).toContain(`Port ${taken} (SQS) is already in use on 127.0.0.1`);
    expect(message).not.toMatch(/[\r\n]/);
    expect((error as PrerequisiteError).name).toBe("PrerequisiteError");
  });
});
