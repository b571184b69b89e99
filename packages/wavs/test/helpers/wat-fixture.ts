import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWatComponent } from "../../../sdk/src/build-wat-component.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..", "..");

/** Build (or reuse) the component for `test/fixtures/wat/<name>.wat`; returns the .wasm path. */
export async function watFixture(
  name: string,
  world: "operator" | "aggregator" = "operator",
): Promise<string> {
  const wat = join(here, "..", "fixtures", "wat", `${name}.wat`);
  const hash = createHash("sha256")
    .update(readFileSync(wat))
    .update(world)
    .digest("hex")
    .slice(0, 16);
  const out = join(repoRoot, ".cache", "fixtures", `${name}-${hash}.wasm`);
  if (existsSync(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await buildWatComponent({ wat, out: tmp, world });
  renameSync(tmp, out);
  return out;
}
