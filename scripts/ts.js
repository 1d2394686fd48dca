#!/usr/bin/env node
// Runs a TypeScript script without a build step: SWC strips the types (no type-checking here;
// `npm run typecheck` does that once for the whole project). Usage: node scripts/ts.js file.ts [args...]
"use strict";
const path = require("path");
const swc = require("@swc/core");

require.extensions[".ts"] = function compileTs(module, filename) {
  const source = require("fs").readFileSync(filename, "utf8");
  const { code } = swc.transformSync(source, {
    filename,
    sourceMaps: "inline",
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node scripts/ts.js <script.ts> [args...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
// Load as the main module so the script's `require.main === module` guard holds, as with `node file.js`.
require("module")._load(path.resolve(script), null, true);
