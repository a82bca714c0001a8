// Validates every document of a rendered chart (a multi-document YAML file) against the
// Kubernetes schemas bundled in kubernetes-models and, for ServiceMonitor and PrometheusRule,
// @kubernetes-models/prometheus-operator. Prints one JSON report on stdout:
//   {"documents": n, "kinds": {"apps/v1 Deployment": 3, ...}, "errors": [{"object": ..., "error": ...}]}
// and exits 1 when any document is invalid or of a kind no package knows (which must not pass
// unchecked). The validators accept unknown fields; ChartTest's own assertions cover those.
//   node validate.mjs rendered.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === ""
    ? `kubernetes-models/${version}`
    : `${packages[group] ?? `kubernetes-models/${group}`}/${version}`;
  const exports = await import(module);
  if (!exports[kind]) {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
  return exports[kind];
}

const report = { documents: 0, kinds: {}, errors: [] };
for (const document of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  if (document.errors.length) {
    report.errors.push({ object: "?", error: document.errors.map(String).join("; ") });
    continue;
  }
  const object = document.toJS();
  if (object == null) continue;
  report.documents++;
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const type = `${object.apiVersion} ${object.kind}`;
  report.kinds[type] = (report.kinds[type] ?? 0) + 1;
  try {
    const Model = await modelFor(object.apiVersion ?? "", object.kind ?? "");
    new Model(object).validate();
  } catch (error) {
    report.errors.push({ object: name, error: String(error.message ?? error) });
  }
}
console.log(JSON.stringify(report));
process.exit(report.errors.length ? 1 : 0);
