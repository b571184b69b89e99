/**
 * A small `.env` reader: `KEY=VALUE` lines, `export KEY=VALUE`, `#` comments, single quotes
 * (literal), double quotes (with \n, \t, \", \\ escapes) and quoted values across lines. No
 * variable expansion. Malformed lines are errors naming the line, never its content (a .env
 * usually holds secrets).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { WavsError } from "../internal/index.js";

const KEY_RE = /[A-Za-z_][A-Za-z0-9_.]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  '"': '"',
  "\\": "\\",
};

function malformed(file: string, line: number, what: string): WavsError {
  return new WavsError("WAVS_ERR_CONFIG_INVALID", `${file} line ${line}: ${what}`, {
    details: { file, line },
    hint: "Write one KEY=VALUE per line; quote values that contain spaces or #.",
  });
}

/** Parse the text of a .env file; later assignments of a key win. `file` is used in errors. */
export function parseDotenv(text: string, file = ".env"): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const src = text.replace(/^\uFEFF/, "");
  let i = 0;
  let line = 1;
  const skipBlanks = () => {
    while (src[i] === " " || src[i] === "\t") i++;
  };
  const atLineEnd = () => i >= src.length || src[i] === "\n" || src[i] === "\r";
  const skipLineEnd = () => {
    if (src[i] === "\r") i++;
    if (src[i] === "\n") i++;
    line++;
  };

  while (i < src.length) {
    skipBlanks();
    if (atLineEnd()) {
      if (i >= src.length) break;
      skipLineEnd();
      continue;
    }
    if (src[i] === "#") {
      while (!atLineEnd()) i++;
      continue;
    }
    if (src.startsWith("export ", i) || src.startsWith("export\t", i)) {
      i += 7;
      skipBlanks();
    }
    KEY_RE.lastIndex = i;
    const key = KEY_RE.exec(src)?.[0];
    if (key === undefined) throw malformed(file, line, "expected KEY=VALUE");
    i += key.length;
    skipBlanks();
    // Not naming what was found: a line without `=` may be a pasted secret.
    if (src[i] !== "=") throw malformed(file, line, "expected KEY=VALUE");
    i++;
    skipBlanks();

    const startLine = line;
    let value: string;
    const quote = src[i];
    if (quote === '"' || quote === "'") {
      i++;
      value = "";
      for (;;) {
        if (i >= src.length)
          throw malformed(file, startLine, `unterminated ${quote} quote in ${key}`);
        const c = src[i] as string;
        if (c === quote) {
          i++;
          break;
        }
        if (c === "\\" && quote === '"' && i + 1 < src.length) {
          const next = src[i + 1] as string;
          value += ESCAPES[next] ?? `\\${next}`;
          i += 2;
          continue;
        }
        if (c === "\n") line++;
        value += c;
        i++;
      }
      skipBlanks();
      if (src[i] === "#") while (!atLineEnd()) i++;
      if (!atLineEnd())
        throw malformed(file, line, `unexpected text after the quoted value of ${key}`);
    } else {
      const start = i;
      while (!atLineEnd()) i++;
      // An unquoted value ends at a ` #` comment; a # inside a word (a URL fragment) stays.
      value = src
        .slice(start, i)
        .replace(/(^|\s)#.*$/, "")
        .trim();
    }
    out[key] = value;
  }
  return out;
}

/** Read and parse a .env file, or undefined when there is none. */
export function readDotenvFile(path: string): Record<string, string> | undefined {
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  return parseDotenv(readFileSync(path, "utf8"), path);
}
