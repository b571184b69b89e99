/**
 * Turning a guide (Markdown) into something a test can run: its fenced code blocks, one bash
 * script made of its `sh` blocks (with a map from script lines back to the guide's lines),
 * and a check of the `wavs` commands in its `console` blocks against the real command tree.
 */
import type { Command } from "commander";

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string's first word (`sh`, `console`, `toml`, …), "" when there is none. */
  lang: string;
  code: string;
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number;
}

/** Every fenced (```) code block, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*([^`\s]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]!)) {
      body.push(lines[j]!);
      j++;
    }
    if (j === lines.length) throw new Error(`unclosed code block at line ${i + 1}`);
    blocks.push({ lang: open[3] ?? "", code: body.join("\n"), line: i + 2 });
    i = j;
  }
  return blocks;
}

/**
 * Printed on stderr by the script when a command fails: `<marker> <exit status> <line>
 * <caller lines>`; the last non-zero line is the guide's own command (inside a function the
 * failing line is the function's, and its callers follow).
 */
export const FAILURE_MARKER = "::guide-command-failed::";

/** A bash script running the `sh` blocks in order, and where each of its lines comes from. */
export interface GuideScript {
  text: string;
  /** Markdown line of each script line (index: script line - 1); undefined for added lines. */
  origin: (number | undefined)[];
}

/** One bash script of the guide's `sh` blocks, stopping at the first failing command. */
export function guideScript(markdown: string, file: string): GuideScript {
  const text: string[] = [
    "set -Eeuo pipefail",
    `trap 'echo "${FAILURE_MARKER} $? $LINENO \${BASH_LINENO[*]:-}" >&2' ERR`,
  ];
  const origin: (number | undefined)[] = [undefined, undefined];
  for (const block of codeBlocks(markdown).filter((b) => b.lang === "sh")) {
    text.push(`# ${file}:${block.line}`);
    origin.push(undefined);
    block.code.split("\n").forEach((line, k) => {
      text.push(line);
      origin.push(block.line + k);
    });
  }
  return { text: `${text.join("\n")}\n`, origin };
}

/** Split a command line into words the way a shell would (quotes; no expansion). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Problems with one `wavs …` command line: subcommands and options that the command tree does
 * not have. Options of a command's parents count (commander allows them after the subcommand).
 */
export function commandProblems(program: Command, args: readonly string[]): string[] {
  const problems: string[] = [];
  const chain: Command[] = [program];
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("-")) {
      const name = arg.split("=")[0]!;
      if (name === "--help" || name === "-h") continue;
      const option = chain
        .flatMap((c) => c.options)
        .find((o) => o.long === name || o.short === name);
      if (!option) {
        problems.push(`${chain.map((c) => c.name()).join(" ")}: no option ${name}`);
        continue;
      }
      if ((option.required || option.optional) && !arg.includes("=")) i++;
      if (option.variadic) while (i + 1 < args.length && !args[i + 1]!.startsWith("-")) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) {
      cmd = sub;
      chain.push(sub);
    } else if (cmd.commands.length > 0 && cmd.registeredArguments.length === 0) {
      problems.push(`${chain.map((c) => c.name()).join(" ")}: no subcommand ${arg}`);
    }
  }
  return problems;
}

/** The `wavs` command lines of a guide's `console` blocks (`$ wavs …`), with their lines. */
export function consoleWavsCommands(markdown: string): { line: number; args: string[] }[] {
  const out: { line: number; args: string[] }[] = [];
  for (const block of codeBlocks(markdown).filter((b) => b.lang === "console")) {
    block.code.split("\n").forEach((text, k) => {
      const m = /^\$ wavs (.*)$/.exec(text);
      if (m) out.push({ line: block.line + k, args: shellWords(m[1]!) });
    });
  }
  return out;
}

/** The script line a failure report names: the outermost caller's (see FAILURE_MARKER). */
export function failedScriptLine(stderr: string): number | undefined {
  let found: number | undefined;
  for (const m of stderr.matchAll(new RegExp(`${FAILURE_MARKER} \\d+ ([\\d ]+)`, "g"))) {
    const lines = m[1]!
      .trim()
      .split(/\s+/)
      .map(Number)
      .filter((n) => n > 0);
    if (lines.length > 0) found = lines.at(-1);
  }
  return found;
}
