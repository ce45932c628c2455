// Copy the pinned assets the dashboard and the API docs need from node_modules (installed by
// `npm ci`) into the Python package, where `eventwire serve` serves them. Nothing is fetched at run time.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "src", "eventwire", "web", "vendor");

// [package, file inside the package, name in vendor/]
const files = [
  ["leaflet", "dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet", "dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet", "dist/images", "leaflet/images"],
  ["leaflet", "LICENSE", "leaflet/LICENSE"],
  ["leaflet.markercluster", "dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster", "dist/MarkerCluster.css", "markercluster/MarkerCluster.css"],
  ["leaflet.markercluster", "dist/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"],
  ["leaflet.markercluster", "MIT-LICENCE.txt", "markercluster/LICENSE"],
  ["topojson-client", "dist/topojson-client.min.js", "topojson/topojson-client.min.js"],
  ["topojson-client", "LICENSE", "topojson/LICENSE"],
  ["world-atlas", "countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas", "LICENSE", "world-atlas/LICENSE"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist", "favicon-32x32.png", "swagger-ui/favicon-32x32.png"],
  ["swagger-ui-dist", "LICENSE", "swagger-ui/LICENSE"],
  ["swagger-ui-dist", "NOTICE", "swagger-ui/NOTICE"],
];

if (!existsSync(modules)) {
  console.error("web/node_modules is missing: run `npm ci` in web/ first");
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const versions = {};
for (const [pkg, src, dest] of files) {
  const from = join(modules, pkg, src);
  if (!existsSync(from)) {
    console.error(`missing ${pkg}/${src}`);
    process.exit(1);
  }
  mkdirSync(dirname(join(out, dest)), { recursive: true });
  cpSync(from, join(out, dest), { recursive: true });
  versions[pkg] = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
}
writeFileSync(join(out, "versions.json"), JSON.stringify(versions, null, 1) + "\n");
console.log(`vendor: ${files.length} assets of ${Object.keys(versions).length} packages -> ${out}`);
