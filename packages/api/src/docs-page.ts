/**
 * `GET /docs`: a self-contained reference page (no CDN: it works offline and under a strict CSP)
 * that renders `/openapi.json` in the browser: every operation with its auth, parameters, request
 * schema and responses.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TensorNode API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1d2330; }
  h1 { margin-bottom: 4px; } .muted { color: #5b6475; }
  section { border-top: 1px solid #e3e6ec; padding: 12px 0; }
  .method { display: inline-block; min-width: 64px; font-weight: 600; text-transform: uppercase; }
  .get { color: #0a7d38; } .post { color: #1455c0; } .delete { color: #b3261e; }
  code, pre { font: 13px ui-monospace, monospace; background: #f4f6f9; border-radius: 4px; }
  pre { padding: 10px; overflow-x: auto; } code { padding: 1px 4px; }
  details summary { cursor: pointer; } .tag { font-size: 12px; background: #eef1f6; padding: 1px 6px; border-radius: 8px; margin-left: 6px; }
</style>
</head>
<body>
<h1>TensorNode API</h1>
<p class="muted" id="intro">Loading <a href="/openapi.json">/openapi.json</a>...</p>
<div id="ops"></div>
<script>
const el = (tag, attrs = {}, ...children) => { const e = document.createElement(tag); Object.assign(e, attrs); e.append(...children); return e; };
const json = (value) => el("pre", {}, JSON.stringify(value, null, 2));
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("intro").textContent = doc.info.description + " Version " + doc.info.version + ".";
  const ops = document.getElementById("ops");
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const auth = op.security.length === 0 ? "public" : op.security.map((s) => Object.keys(s)[0]).join(" or ");
      const section = el("section", {}, el("div", {}, el("span", { className: "method " + method }, method), el("code", {}, path), el("span", { className: "tag" }, op.tags[0]), el("span", { className: "tag" }, auth)), el("p", {}, op.summary));
      if (op.parameters) section.append(el("details", {}, el("summary", {}, "Parameters"), json(op.parameters)));
      if (op.requestBody) for (const [type, body] of Object.entries(op.requestBody.content)) section.append(el("details", {}, el("summary", {}, "Request body (" + type + ")"), json(body.schema)));
      section.append(el("details", {}, el("summary", {}, "Responses"), el("ul", {}, ...Object.entries(op.responses).map(([status, r]) => el("li", {}, el("code", {}, status), " " + r.description)))));
      ops.append(section);
    }
  }
}).catch((error) => { document.getElementById("intro").textContent = "Could not load /openapi.json: " + error; });
</script>
</body>
</html>
`;
