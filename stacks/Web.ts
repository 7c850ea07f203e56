import { StaticSite, type StackContext } from "sst/constructs";

/**
 * The dashboard: plain static files from `web/`, uploaded to S3 behind CloudFront.
 *
 * No `buildCommand`: SST runs it during every synth, including the offline synth test, and the
 * dashboard needs no build. The API and WebSocket URLs are therefore not baked into the site;
 * they are published as the Backend stack's `ApiUrl` / `WebSocketUrl` outputs, and the dashboard
 * reads its endpoints at runtime from `config.js` (how that file is produced for production is
 * handled on the dashboard side).
 *
 * A separate stack because it references nothing in Backend: no exports, and a CloudFront update
 * can never roll back the API.
 */
export function Web({ stack }: StackContext) {
  const site = new StaticSite(stack, "Dashboard", {
    path: "web",
    indexPage: "index.html",
  });
  stack.addOutputs({ DashboardUrl: site.url ?? "" });
  return { site };
}
