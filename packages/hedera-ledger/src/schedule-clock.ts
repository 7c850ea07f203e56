import type { Ledger } from "./ledger.js";

/**
 * Lets a served ledger notice time between transactions: every `intervalMs` (1 s) it calls
 * `ledger.tick()`, which runs the wait_for_expiry schedules whose expiry has come and purges
 * expired ones; also once at start. The timer is unref'd, so it never keeps the process alive.
 * Returns a stop function (server.ts calls it on close).
 */
export function startScheduleClock(ledger: Pick<Ledger, "tick">, intervalMs = 1_000): () => void {
  const tick = () => {
    try {
      ledger.tick();
    } catch (error) {
      // A failing tick must not crash the server; the next tick or transaction retries the same work.
      console.error("hedera-ledger: schedule tick failed", error);
    }
  };
  // At once too: after a journal replay, schedules that expired while the ledger was down (or that
  // a tick ran before the restart, which the journal does not record) run now, at their expiry time.
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
