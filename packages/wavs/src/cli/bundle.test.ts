import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** esbuild's metafile as scripts/bundle.mjs writes it beside the bundle. */
interface Metafile {
  outputs: Record<
    string,
    {
      entryPoint?: string;
      imports: { path: string; kind: string; external?: boolean }[];
      inputs: Record<string, { bytesInOutput: number }>;
    }
  >;
}

const META = fileURLToPath(new URL("../../dist/bundle-meta.json", import.meta.url));

function metafile(): Metafile {
  if (!existsSync(META)) throw new Error(`${META} is missing: run \`npm run build\` first`);
  return JSON.parse(readFileSync(META, "utf8")) as Metafile;
}

/** Every input of the chunks a command's entry loads before it runs (static imports). */
function loadedInputs(meta: Metafile, entry: string): string[] {
  const start = Object.entries(meta.outputs).find(([, o]) => o.entryPoint?.endsWith(entry))?.[0];
  if (start === undefined) throw new Error(`no bundle entry for ${entry}`);
  const seen = new Set([start]);
  for (const chunk of seen) {
    for (const i of meta.outputs[chunk]!.imports) {
      if (i.kind === "import-statement" && !i.external) seen.add(i.path);
    }
  }
  return [...seen].flatMap((chunk) =>
    Object.entries(meta.outputs[chunk]!.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([input]) => input),
  );
}

describe("the CLI bundle", () => {
  it("loads no chain client for `wavs exec`: the builder's loop starts without viem's clients", () => {
    const inputs = loadedInputs(metafile(), "dist/cli/exec.js");
    expect(inputs.some((i) => i.endsWith("dist/engine/engine.js"))).toBe(true);
    // a module on exec's path importing a barrel (viem's, or @wavs-ts/contracts') brings these
    expect(inputs.filter((i) => /viem\/_esm\/(clients|actions)\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.includes("contracts/dist/anvil.js"))).toEqual([]);
  });

  it("keeps zod's English messages and the English wordlist, and only those", () => {
    const all = Object.values(metafile().outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, v]) => v.bytesInOutput > 0)
        .map(([input]) => input),
    );
    // the locales' index is the bundle's own stand-in, naming English alone
    const locales = all.filter((i) => i.includes("zod/v4/locales/") && !i.endsWith("/index.js"));
    expect(locales.map((i) => i.split("/").pop())).toEqual(["en.js"]);
    const wordlists = all.filter((i) => i.includes("@scure/bip39/esm/wordlists/"));
    expect([...new Set(wordlists.map((i) => i.split("/").pop()))]).toEqual(["english.js"]);
  });
});
