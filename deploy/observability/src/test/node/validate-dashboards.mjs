// Validates Grafana dashboards against Grafana's own Dashboard type: the TypeScript type that the
// npm package @grafana/schema ships, turned into a JSON schema by ts-json-schema-generator and
// applied by ajv. No Grafana server is needed.
//
//   node validate-dashboards.mjs <schema-out.json> <dashboard.json>...
//
// Prints one line per dashboard ("ok <file> <panels>" or "invalid <file>: <errors>") and exits 1
// when any dashboard is invalid. The generated schema is written to <schema-out.json> so a
// reader can see what was applied.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Ajv from "ajv";
import { createGenerator } from "ts-json-schema-generator";

const [schemaOut, ...dashboards] = process.argv.slice(2);
if (!schemaOut || dashboards.length === 0) {
  console.error("usage: node validate-dashboards.mjs <schema-out.json> <dashboard.json>...");
  process.exit(2);
}

const require = createRequire(import.meta.url);
const schemaPackage = dirname(require.resolve("@grafana/schema/package.json"));
const schema = createGenerator({
  path: join(schemaPackage, "dist/types/raw/dashboard/x/types.gen.d.ts"),
  type: "Dashboard",
  skipTypeCheck: true,
}).createSchema("Dashboard");
writeFileSync(schemaOut, JSON.stringify(schema, null, 2));

// strict: false only because the generated schema carries TypeScript's own annotations
// (e.g. "defaultProperties"); additionalProperties stay as Grafana's type declares them.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
let invalid = 0;
for (const file of dashboards) {
  const dashboard = JSON.parse(readFileSync(file, "utf8"));
  if (validate(dashboard)) {
    console.log(`ok ${file} ${countPanels(dashboard.panels ?? [])}`);
  } else {
    invalid++;
    const errors = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    console.log(`invalid ${file}: ${errors.join("; ")}`);
  }
}
process.exit(invalid === 0 ? 0 : 1);

function countPanels(panels) {
  return panels.reduce((n, p) => n + (p.type === "row" ? countPanels(p.panels ?? []) : 1), 0);
}
