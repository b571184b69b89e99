import { describe, expect, it } from "vitest";
import { COMMANDS, commandOf } from "./commands.js";
import { buildProgram } from "./main.js";

describe("the command table", () => {
  it("summaries are the commands' own descriptions", async () => {
    const program = await buildProgram();
    for (const entry of COMMANDS) {
      const command = program.commands.find((c) => c.name() === entry.name);
      expect(command?.description(), entry.name).toBe(entry.summary);
    }
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((e) => e.name));
  });

  it("loads only the command being run, and lists every command in the help", async () => {
    const program = await buildProgram({ only: "trigger" });
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((e) => e.name));
    // the loaded command has its options; a stand-in has none
    const options = (name: string) =>
      program.commands.find((c) => c.name() === name)?.options.length;
    expect(options("trigger")).toBeGreaterThan(0);
    expect(options("exec")).toBe(0);
    const help = (await buildProgram({ only: undefined })).helpInformation();
    for (const entry of COMMANDS) expect(help).toContain(entry.name);
  });

  it("finds the command in argv", () => {
    const argv = (...a: string[]) => ["node", "wavs", ...a];
    expect(commandOf(argv("--help"))).toBeUndefined();
    expect(commandOf(argv("exec", "--component", "c.wasm"))).toBe("exec");
    expect(commandOf(argv("--json", "service", "init"))).toBe("service");
    expect(commandOf(argv("help", "dev"))).toBe("dev");
  });
});
