// The guides are executable. docs/builder-guide.md and docs/operator-guide.md are run as they are
// written: every ```sh block, in order, as one bash script per guide (set -Eeuo pipefail), with
// `wavs` on PATH (a wrapper for the built binary, bin/wavs.js over dist/: run `npx tsc -b` first).
// Beside them runs a real dev network (startDevnet: anvil and three operator nodes on free ports),
// as `wavs dev` would in the reader's directory: each guide runs in an empty directory of its own
// whose `.wavs-dev` is a link to the network's, so the builder commands find its state.json with
// their default flags. The builder guide runs first and re-points the `echo` service; the operator
// guide then joins the `square` service with a fourth node (its ports HTTP_PORT, P2P_PORT and
// FILES_PORT are set to free ones). A failing command fails the test with
// its line in the guide; the outputs the guides quote are checked. `console` blocks are not run, but
// their `wavs` commands are checked against the real command tree.
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.js";
import { captureOutput } from "../helpers/wavs-cli.js";
import {
  codeBlocks,
  commandProblems,
  consoleWavsCommands,
  failedScriptLine,
  guideScript,
  shellWords,
} from "./guide-script.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../../../..");
const BIN = join(ROOT, "packages", "wavs", "bin", "wavs.js");
const TEST_FILE = "packages/wavs/test/guides/guides.test.ts";
const GUIDES = {
  builder: "docs/builder-guide.md",
  operator: "docs/operator-guide.md",
} as const;
/** Longest a guide may run before the test gives up on it (it normally takes well under this). */
const GUIDE_DEADLINE_MS = 240_000;
const TOOLS = ["bash", "curl", "jq", "openssl", "sqlite3", "python3", "paste"];

function readGuide(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface GuideRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** "docs/x.md:LINE: <command>" of the command that failed, when one did. */
  failed?: string;
}

/** Whether any process of the group still exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Run a guide's sh blocks in `cwd`; afterwards nothing it started in the background survives. */
async function runGuide(
  file: string,
  markdown: string,
  cwd: string,
  scratch: string,
  env: Record<string, string>,
): Promise<GuideRun> {
  const script = guideScript(markdown, file);
  const scriptFile = join(scratch, `${file.replace(/\W+/g, "-")}.sh`);
  writeFileSync(scriptFile, script.text);
  const child = spawn("bash", [scriptFile], {
    cwd,
    env,
    detached: true, // its own process group, so background jobs can be stopped with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = captureOutput(child);
  const pgid = child.pid!;
  const deadline = setTimeout(() => {
    out.stderr += `\n[test] ${file} still running after ${GUIDE_DEADLINE_MS / 1000} s: stopped\n`;
    process.kill(-pgid, "SIGKILL");
  }, GUIDE_DEADLINE_MS);
  const code = await new Promise<number | null>((done) => child.once("close", done));
  clearTimeout(deadline);
  // a failed guide may leave its node or file server running
  if (groupAlive(pgid)) process.kill(-pgid, "SIGTERM");
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");

  const run: GuideRun = { code, ...out };
  const scriptLine = failedScriptLine(out.stderr);
  const line = scriptLine === undefined ? undefined : script.origin[scriptLine - 1];
  if (line !== undefined) {
    run.failed = `${file}:${line}: ${markdown.split("\n")[line - 1]?.trim()}`;
  }
  return run;
}

/** What to show when a guide failed: the command, the ends of its output and of its logs. */
function report(run: GuideRun, logs: string[]): string {
  const tail = (text: string, n: number) => text.split("\n").slice(-n).join("\n");
  const logTails = logs
    .filter((f) => existsSync(f))
    .map((f) => `--- ${f}\n${tail(readFileSync(f, "utf8"), 15)}`);
  return [
    `exit code ${run.code}${run.failed ? `; failed at ${run.failed}` : ""}`,
    `--- stdout\n${tail(run.stdout, 40)}`,
    `--- stderr\n${tail(run.stderr, 40)}`,
    ...logTails,
  ].join("\n");
}

describe("guide tooling", () => {
  it("finds code blocks with their lines, and maps script lines back to the guide", () => {
    const md = "# t\n\n```sh\necho one\necho two\n```\n\ntext\n\n````console\n$ wavs x\n````\n";
    expect(codeBlocks(md)).toEqual([
      { lang: "sh", code: "echo one\necho two", line: 4 },
      { lang: "console", code: "$ wavs x", line: 11 },
    ]);
    const script = guideScript(md, "t.md");
    const lines = script.text.split("\n");
    expect(lines[script.origin.indexOf(5)]).toBe("echo two");
    expect(shellWords(`a 'b c' "d e"f  # comment`)).toEqual(["a", "b c", "d ef"]);
  });

  it("stops at the first failing command and names its line in the guide", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wavs-guide-tooling-"));
    try {
      const md = [
        "```sh",
        "X=1",
        'check() { test "$1" = yes; }',
        "```",
        "",
        "```sh",
        'echo "before $X"',
        "check no",
        "echo after",
        "```",
      ].join("\n");
      const run = await runGuide("t.md", md, dir, dir, { PATH: process.env.PATH ?? "" });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe("before 1\n");
      expect(run.failed).toBe("t.md:8: check no");
      const ok = await runGuide("t.md", "```sh\ntrue\n```\n", dir, dir, {});
      expect(ok.code).toBe(0);
      expect(ok.failed).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks wavs commands against the command tree", async () => {
    const program = await buildProgram();
    expect(commandProblems(program, ["dev", "--component", "x.ts", "--port", "0"])).toEqual([]);
    expect(commandProblems(program, ["service", "workflow", "add", "--id", "w1"])).toEqual([]);
    expect(commandProblems(program, ["dev", "--components", "x"])).toEqual([
      "wavs dev: no option --components",
    ]);
    expect(commandProblems(program, ["service", "workflow", "ad"])).toEqual([
      "wavs service workflow: no subcommand ad",
    ]);
  });

  for (const file of Object.values(GUIDES)) {
    it(`${file}: names this test, has sh blocks, and its console commands exist`, async () => {
      const markdown = readGuide(file);
      expect(markdown).toContain(TEST_FILE);
      expect(codeBlocks(markdown).filter((b) => b.lang === "sh").length).toBeGreaterThan(3);
      const program = await buildProgram();
      const problems = consoleWavsCommands(markdown).flatMap(({ line, args }) =>
        commandProblems(program, args).map((p) => `${file}:${line}: ${p}`),
      );
      expect(problems).toEqual([]);
    });
  }
});

describe("the guides, run against a dev network", () => {
  let scratch: string;
  let devnet: Devnet | undefined;
  let env: Record<string, string>;

  /** An empty working directory for a guide, beside the dev network. */
  function guideDir(name: string): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    symlinkSync(devnet!.layout.root, join(dir, ".wavs-dev"));
    return dir;
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "wavs-guides-"));
    const bin = join(scratch, "bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "wavs"),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`,
    );
    chmodSync(join(bin, "wavs"), 0o755);
    // only what the guide sets counts: no WAVS_* from the developer's shell
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[1] !== undefined && !e[0].startsWith("WAVS_") && e[0] !== "XDG_CONFIG_HOME",
      ),
    );
    env = { ...base, PATH: `${bin}:${process.env.PATH ?? ""}` };
    const missing = TOOLS.filter(
      (tool) =>
        !(process.env.PATH ?? "")
          .split(":")
          .some((dir) => dir !== "" && existsSync(join(dir, tool))),
    );
    if (missing.length > 0) {
      throw new Error(`the guides need ${missing.join(", ")} on PATH (see .ci/run)`);
    }
    devnet = await startDevnet({
      home: join(scratch, "network"),
      operators: 3,
      port: 0,
      p2pPort: 0,
      anvilPort: 0,
    });
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it("runs docs/builder-guide.md: builds `upper`, deploys it on echo's manager, lands HELLO WAVS", async () => {
    const dir = guideDir("builder");
    const run = await runGuide(GUIDES.builder, readGuide(GUIDES.builder), dir, scratch, env);
    const logs = devnet!.state.nodes.map((_, i) => devnet!.layout.operatorLog(i));
    expect(run.code, report(run, logs)).toBe(0);
    // the outputs the guide quotes
    expect(run.stdout).toContain("payload (utf8): HELLO WAVS");
    expect(run.stdout).toContain("service.json is valid");
    expect(run.stdout).toMatch(/^[0-9a-f]{64}$/m); // the digest upload-component printed
    for (const node of devnet!.state.nodes) expect(run.stdout).toContain(`  ${node.url}: updated`);
    expect(run.stdout).toMatch(/^text: HELLO WAVS$/m);
    const signers = /^signers: (.*)$/m.exec(run.stdout)?.[1]?.split(", ") ?? [];
    expect(signers.length).toBeGreaterThanOrEqual(2);
    // every node runs the builder's service on echo's manager now
    const echo = devnet!.state.services.find((s) => s.name === "echo")!;
    for (const node of devnet!.state.nodes) {
      const res = await fetch(
        `${node.url}/services/${devnet!.state.chain}/${echo.service_manager}`,
      );
      expect(((await res.json()) as { name: string }).name).toBe("upper");
    }
  }, 300_000);

  it("runs docs/operator-guide.md: a fourth node joins square, restarts, is restored, opts out", async () => {
    const dir = guideDir("operator");
    const [httpPort, p2pPort, filesPort] = [await freePort(), await freePort(), await freePort()];
    const run = await runGuide(GUIDES.operator, readGuide(GUIDES.operator), dir, scratch, {
      ...env,
      HTTP_PORT: String(httpPort),
      P2P_PORT: String(p2pPort),
      FILES_PORT: String(filesPort),
    });
    expect(run.code, report(run, [join(dir, "operator", "node.log"), join(dir, "files.log")])).toBe(
      0,
    );
    const out = run.stdout;
    // the dev nodes switched to the download-sourced definition
    expect(out).toMatch(/: updated$/m);
    expect(out).toMatch(/^square$/m);
    // index 0 and 1 of the public test mnemonic
    const operator = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
    const signer = /^operator (0x[0-9a-fA-F]{40}) signs for square with (0x[0-9a-fA-F]{40})$/m.exec(
      out,
    );
    expect(signer?.[1]).toBe(operator);
    const key = signer![2]!;
    // registerOperator and deregisterOperator were mined and succeeded; the key is registered
    expect(out.match(/^0x1$/gm)).toHaveLength(2);
    expect(out.toLowerCase()).toContain(`0x${key.slice(2).toLowerCase().padStart(64, "0")}`);
    expect(out).toContain('text: {"y":144}');
    expect(out).toMatch(new RegExp(`"signer": "${key}"`, "i")); // what the node signed
    expect(out).toMatch(/^wavs_executions_total\{.*status="succeeded".*\} [1-9]/m);
    expect(out).toMatch(/^ok$/m); // integrity_check of the backup
    // the same service and signer after the restart, the restore and the re-join
    const serviceId = devnet!.state.services.find((s) => s.name === "square")!.service_id;
    const same = JSON.stringify({ service_id: serviceId, signer: key });
    expect(out.split("\n").filter((l) => l === same)).toHaveLength(3);
    expect(out).toMatch(/^\[\]$/m); // opted out
    expect(out).toContain(`  http://127.0.0.1:${httpPort}: registered`);
  }, 300_000);
});
