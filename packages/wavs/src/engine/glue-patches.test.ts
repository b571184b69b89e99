import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFixture } from "@wavs-ts/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { patchGlue } from "./glue-patches.js";
import { prepareComponent } from "./prepare-component.js";

// the debug logger as jco 1.x writes it into every glue module
const JCO_DEBUG_LOG = `
  const ASYNC_CURRENT_TASK_IDS = [];
  
  const _debugLog = (...args) => {
    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }
    console.debug(...args);
  };
  
  function clearCurrentTask(componentIdx, taskID) {
    _debugLog('[clearCurrentTask()] args', { componentIdx, taskID });
  }
  return _debugLog;
`;

/** The logger a patched glue text defines, evaluated now. */
function loggerOf(text: string): (...args: unknown[]) => void {
  return new Function(text)() as (...args: unknown[]) => void;
}

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("patchGlue", () => {
  it("reads JCO_DEBUG once, when the glue loads, and logs only when it was set", () => {
    const patched = patchGlue(JCO_DEBUG_LOG);
    expect(patched).not.toContain("if (!globalThis?.process?.env?.JCO_DEBUG)");
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    loggerOf(patched)("quiet");
    expect(debug).not.toHaveBeenCalled();
    vi.stubEnv("JCO_DEBUG", "1");
    loggerOf(patched)("loud", 1);
    expect(debug).toHaveBeenCalledWith("loud", 1);
  });

  it("leaves text it does not recognise as it is", () => {
    const other = "const _debugLog = (...args) => console.log(...args);";
    expect(patchGlue(other)).toBe(other);
  });

  it("applies to the glue of a real TypeScript component (jco as installed here)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wavs-glue-"));
    dirs.push(dir);
    const bytes = readFileSync(await buildFixture("echo"));
    const meta = await prepareComponent(bytes, dir);
    const glue = readFileSync(join(dir, meta.digest, meta.glue), "utf8");
    expect(glue).toContain("const _debugLog = globalThis?.process?.env?.JCO_DEBUG ?");
    expect(glue).not.toMatch(/if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\)/);
  });
});
