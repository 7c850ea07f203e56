import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** One gRPC method of a Hedera service, read from the `.proto` files @hashgraph/proto ships. */
export interface RpcMethod {
  /** Full path as the SDK calls it, e.g. `/proto.CryptoService/cryptoTransfer`. */
  path: string;
  service: string;
  name: string;
  request: string;
  response: string;
  responseStream: boolean;
}

/**
 * Lists every rpc of the consensus node and mirror node services. Reading the service definitions
 * (rather than hard-coding method names) keeps the server in step with the proto version: the
 * SDK sometimes sends a transaction to an unexpected method (TokenUpdateNfts goes to `pauseToken`),
 * so every Transaction-taking method is served, and transactions are routed on their body.
 */
export function hederaRpcMethods(): RpcMethod[] {
  const require = createRequire(import.meta.url);
  const protoDir = join(dirname(require.resolve("@hashgraph/proto/package.json")), "src", "proto");
  const methods: RpcMethod[] = [];
  for (const file of readdirSync(protoDir).filter((f) => f.endsWith("_service.proto"))) {
    const text = readFileSync(join(protoDir, file), "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
    if (!pkg) continue;
    for (const service of text.matchAll(/service\s+(\w+)\s*\{([\s\S]*?)\n\}/g)) {
      for (const rpc of service[2]!.matchAll(/rpc\s+(\w+)\s*\(\s*(?:stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)/g)) {
        methods.push({
          path: `/${pkg}.${service[1]}/${rpc[1]}`,
          service: `${pkg}.${service[1]}`,
          name: rpc[1]!,
          request: rpc[2]!.replace(/^\./, ""),
          response: rpc[4]!.replace(/^\./, ""),
          responseStream: Boolean(rpc[3]),
        });
      }
    }
  }
  return methods;
}
