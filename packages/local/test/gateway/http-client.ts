import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/**
 * A bare node:http client: unlike fetch it can repeat headers and stream a chunked body, and it
 * shows exactly what the gateway put on the wire.
 */
export function request(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string | Array<Buffer | string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
      });
    });
    req.on("error", reject);
    for (const chunk of [options.body ?? []].flat()) req.write(chunk);
    req.end();
  });
}
