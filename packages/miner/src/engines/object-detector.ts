import { Worker } from "node:worker_threads";

export interface RawDetection {
  label: string;
  score: number;
  /** x, y, width, height in pixels of the input. */
  box: [number, number, number, number];
}

type Reply = { id: number; ok: true; objects?: RawDetection[] } | { id: number; ok: false; error: string };

/**
 * The main-thread handle of `object-detector-worker.mjs` (see there why detection runs in a worker):
 * requests and replies matched by id; if the worker dies, every pending and later call fails.
 */
export class ObjectDetector {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private dead: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL("./object-detector-worker.mjs", import.meta.url), { stdout: true, stderr: true });
    // tfjs prints notices on load; the miner's logs stay JSON.
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.unref();
    const fail = (error: Error) => {
      this.dead ??= error;
      for (const { reject } of this.pending.values()) reject(this.dead);
      this.pending.clear();
    };
    this.worker.on("message", (reply: Reply) => {
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the object detection worker exited (${code})`)));
  }

  private call(message: object, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async load(minScore: number): Promise<void> {
    const reply = await this.call({ type: "load", options: { minScore } });
    if (!reply.ok) throw new Error(reply.error);
  }

  async detect(rgb: Buffer, width: number, height: number): Promise<RawDetection[]> {
    const data = new Uint8Array(rgb);
    const reply = await this.call({ type: "detect", image: { data, width, height } }, [data.buffer]);
    if (!reply.ok) throw new Error(reply.error);
    return reply.objects ?? [];
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
