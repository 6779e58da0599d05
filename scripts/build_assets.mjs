// Copies the front-end packages installed by npm into static/vendor/, where Django's
// staticfiles finds them. The output is generated at set-up and never committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "vendor");
mkdirSync(out, { recursive: true });

const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts.min.js"],
];
for (const [src, dest] of files) {
  copyFileSync(join(root, "node_modules", src), join(out, dest));
  console.log(`static/vendor/${dest}`);
}
