import type { MinerApp } from "../src/app.js";

export const MODEL = "stories260K";
export const EMBEDDING_MODEL = "use-lite-512";

/** Config that leaves the speech, translation and vision engines out (tests about other modalities). */
export const ONLY_TEXT_ENGINES = { stt: { enabled: false }, tts: { enabled: false }, translation: { enabled: false }, vision: { enabled: false } } as const;

/** POSTs JSON to the app in-process (no socket). */
export function post(app: MinerApp, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }),
  );
}

/** The `data:` payloads of an SSE response, in order (`[DONE]` kept as the string). */
export async function readSse(response: Response): Promise<Array<Record<string, any> | "[DONE]">> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length))
    .map((data) => (data === "[DONE]" ? "[DONE]" : (JSON.parse(data) as Record<string, any>)));
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** A response body as loosely typed JSON, for assertions. */
export const json = (response: Response): Promise<any> => response.json();
