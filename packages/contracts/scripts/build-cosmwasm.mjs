#!/usr/bin/env node
// Compiles the CosmWasm contracts of packages/contracts/cosmwasm (C, one contract per .c file
// beside the shared cw.h) to cosmwasm/out/<name>.wasm with clang's wasm32 target and lld.
// Runs from the root `npm run build`; skips all work when neither the sources, the flags nor
// this script changed. Without clang (or lld) it says what to install and builds nothing:
// only the Cosmos parts need these contracts.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceDir = join(packageDir, "cosmwasm");
const outDir = join(sourceDir, "out");
const stampFile = join(outDir, ".build-stamp.json");

// No libc, no start function; every export is marked in the source. -O2 keeps the code small
// (a few KB) without the size passes that make failures hard to read.
const FLAGS = [
  "--target=wasm32",
  "-O2",
  "-nostdlib",
  "-fno-builtin",
  "-Wall",
  "-Werror",
  // cw.h is a header of helpers; each contract uses some of them
  "-Wno-unused-function",
  "-Wl,--no-entry",
  "-Wl,--strip-all",
];

const sources = readdirSync(sourceDir)
  .filter((f) => f.endsWith(".c") || f.endsWith(".h"))
  .sort();
const contracts = sources.filter((f) => f.endsWith(".c")).map((f) => f.slice(0, -2));
const hash = createHash("sha256").update(JSON.stringify(FLAGS));
for (const file of sources) hash.update(file).update(readFileSync(join(sourceDir, file)));
hash.update(readFileSync(fileURLToPath(import.meta.url)));
const digest = hash.digest("hex");

function upToDate() {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
    return stamp.hash === digest && contracts.every((c) => existsSync(join(outDir, `${c}.wasm`)));
  } catch {
    return false;
  }
}

if (upToDate()) {
  console.log("cosmwasm contracts: up to date");
  process.exit(0);
}

const clang = spawnSync("clang", ["--version"], { encoding: "utf8" });
const lld = spawnSync("wasm-ld", ["--version"], { encoding: "utf8" });
if (clang.status !== 0 || lld.status !== 0) {
  console.warn(
    "cosmwasm contracts: not built: clang and lld (wasm-ld) are needed " +
      "(Debian/Ubuntu: apt-get install clang lld). Only the Cosmos chain parts use them.",
  );
  process.exit(0);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const name of contracts) {
  const output = join(outDir, `${name}.wasm`);
  try {
    execFileSync("clang", [...FLAGS, "-o", output, join(sourceDir, `${name}.c`)], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch {
    console.error(`cosmwasm contracts: ${name}.c did not compile`);
    process.exit(1);
  }
}
writeFileSync(stampFile, `${JSON.stringify({ hash: digest, contracts }, null, 2)}\n`);
console.log(`cosmwasm contracts: compiled ${contracts.join(", ")}`);
