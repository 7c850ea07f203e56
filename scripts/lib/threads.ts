import { Worker } from "node:worker_threads";

/**
 * Runs a benchmark part on its own thread (its own event loop, on the other core), so the load
 * generator, the gateway under test and the upstream do not queue behind each other on one loop,
 * as they would not in production, where they are separate machines.
 */
export function startThread(file: URL, data: unknown = {}): { worker: Worker; call<T>(message: object): Promise<T>; ready<T>(): Promise<T>; stop(): Promise<void> } {
  const worker = new Worker(new URL("./thread-entry.mjs", import.meta.url), { workerData: { ...(data as object), module: file.href } });
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let readyResolve: (value: unknown) => void;
  let readyReject: (error: Error) => void;
  const readyPromise = new Promise((resolve, reject) => ((readyResolve = resolve), (readyReject = reject)));
  worker.on("message", (message: { id?: number; ready?: unknown; result?: unknown; error?: string }) => {
    if (message.ready !== undefined) return readyResolve(message.ready);
    const waiter = pending.get(message.id!);
    pending.delete(message.id!);
    if (message.error) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  // A thread that fails or exits fails whoever waits on it, so a benchmark never hangs.
  const failAll = (error: Error) => {
    readyReject(error);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`benchmark thread ${file.pathname} exited (code ${code})`)));
  return {
    worker,
    ready: <T>() => readyPromise as Promise<T>,
    call: <T>(message: object) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...message, id });
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
