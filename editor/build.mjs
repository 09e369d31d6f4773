// Bundles the editor into the theme's assets, with the notices of the packages it contains.
//
//   node editor/build.mjs           # writes crates/gazette-web/theme/assets/markdown-editor.js
//   node editor/build.mjs --check   # fails if the committed bundle is not what the sources make
//
// Run through scripts/build-editor, which installs the pinned packages first. The output is
// the same bytes for the same sources and lockfile, so CI can compare it with the committed
// file.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, "../crates/gazette-web/theme/assets/markdown-editor.js");
const BUDGET = 250 * 1024;

/** The packages with code in the bundle (imported and not shaken out), sorted. */
function bundledPackages(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (found && bytesInOutput > 0) names.add(found[1]);
    }
  }
  return [...names].sort().map((name) => {
    const root = join(here, "node_modules", name);
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    const copyright = license.split("\n").find((line) => line.startsWith("Copyright")) ?? "";
    return { name, version: manifest.version, license: manifest.license, copyright };
  });
}

/** The comment that opens the bundle: what it is, and every bundled package's notice. */
function banner(packages) {
  const unlicensed = packages.filter((p) => p.license !== "MIT");
  if (unlicensed.length > 0) {
    throw new Error(`not MIT, add its notice by hand: ${unlicensed.map((p) => p.name)}`);
  }
  const lines = packages.map((p) => ` * ${p.name} ${p.version}: ${p.copyright}`);
  const holders = [...new Set(packages.map((p) => p.copyright))];
  return [
    "/*!",
    " * Gazette's Markdown editor (editor/ in Gazette's repository; MIT OR Apache-2.0).",
    " * Bundled packages, each under the MIT License:",
    ...lines,
    " *",
    ` * ${holders.join("; ")}.`,
    " * Permission is hereby granted, free of charge, to any person obtaining a copy of this",
    " * software and associated documentation files (the \"Software\"), to deal in the Software",
    " * without restriction, including without limitation the rights to use, copy, modify,",
    " * merge, publish, distribute, sublicense, and/or sell copies of the Software, and to",
    " * permit persons to whom the Software is furnished to do so, subject to the following",
    " * conditions: The above copyright notice and this permission notice shall be included in",
    " * all copies or substantial portions of the Software.",
    " * THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,",
    " * INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A",
    " * PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT",
    " * HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF",
    " * CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR",
    " * THE USE OR OTHER DEALINGS IN THE SOFTWARE.",
    " */",
    "",
  ].join("\n");
}

async function bundle() {
  const result = await build({
    entryPoints: [join(here, "src/main.js")],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text;
  return banner(bundledPackages(result.metafile)) + code;
}

const bytes = Buffer.from(await bundle());
const compressed = gzipSync(bytes, { level: 9 }).length;
const size = `${(bytes.length / 1024).toFixed(1)} KiB, ${(compressed / 1024).toFixed(1)} KiB gzipped`;
if (compressed > BUDGET) {
  console.error(`the editor is ${size}: over its budget of ${BUDGET / 1024} KiB compressed`);
  process.exit(1);
}
if (process.argv.includes("--check")) {
  let committed = Buffer.alloc(0);
  try {
    committed = readFileSync(output);
  } catch {
    // Missing: reported as different below.
  }
  if (!committed.equals(bytes)) {
    console.error(
      `${output} is not what editor/src builds (${size}): run scripts/build-editor and commit the result`,
    );
    process.exit(1);
  }
  console.log(`the committed editor is current (${size})`);
} else {
  writeFileSync(output, bytes);
  console.log(`wrote ${output} (${size})`);
}
