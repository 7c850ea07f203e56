import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Nanos } from "./codec.js";

/**
 * Persistence as an append-only journal: one line per transaction that passed precheck, with its
 * consensus time and its exact bytes. On start the ledger replays the journal through the same
 * code, so the rebuilt state is exactly what the transactions produced, with nothing to migrate.
 * Each line is written synchronously before the client is answered: an acknowledged transaction
 * survives a crash.
 */
export interface JournalEntry {
  consensusNanos: Nanos;
  bytes: Uint8Array;
}

export class Journal {
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  append(entry: JournalEntry): void {
    appendFileSync(this.file, `${entry.consensusNanos}:${Buffer.from(entry.bytes).toString("base64")}\n`);
  }

  /** The entries in order. A torn last line (crash mid-write) is ignored, like an unacknowledged transaction. */
  read(): JournalEntry[] {
    if (!existsSync(this.file)) return [];
    const entries: JournalEntry[] = [];
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      const match = /^(\d+):([A-Za-z0-9+/=]+)$/.exec(line);
      if (match) entries.push({ consensusNanos: BigInt(match[1]!), bytes: Buffer.from(match[2]!, "base64") });
    }
    return entries;
  }
}
