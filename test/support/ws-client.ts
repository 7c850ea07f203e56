import WebSocket from "ws";

/** A WebSocket client that queues every message it receives, for `next()` to take in order. */
export async function connectClient(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, options);
  const inbox: unknown[] = [];
  const waiters: Array<(message: unknown) => void> = [];
  socket.on("message", (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`handshake refused: HTTP ${res.statusCode}`)));
  });
  return {
    socket,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next: (timeoutMs = 10_000) =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise<unknown>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no WebSocket message within timeout")), timeoutMs);
            waiters.push((message) => {
              clearTimeout(timer);
              resolve(message);
            });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once("close", () => resolve());
        socket.close();
      }),
  };
}
