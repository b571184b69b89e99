/**
 * One-shot worker that transpiles a component with jco. Transpiling a large component takes
 * seconds of synchronous work; doing it here keeps the node's event loop free meanwhile.
 */
import { parentPort, workerData } from "node:worker_threads";
import { transpile } from "@bytecodealliance/jco";
import { patchGlue } from "./glue-patches.js";

export type TranspileReply =
  | { ok: true; files: Record<string, Uint8Array>; imports: string[]; exports: string[] }
  | { ok: false; message: string };

const bytes = workerData as Uint8Array;
let reply: TranspileReply;
try {
  const out = await transpile(bytes, {
    name: "component",
    instantiation: "sync",
    noTypescript: true,
    base64Cutoff: 0,
    nodejsCompat: false,
    tlaCompat: false,
  });
  const files: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(out.files)) {
    if (name.endsWith(".wasm")) files[name] = content;
    if (name === "component.js") {
      files[name] = new TextEncoder().encode(patchGlue(new TextDecoder().decode(content)));
    }
  }
  reply = { ok: true, files, imports: out.imports, exports: out.exports.map(([name]) => name) };
} catch (err) {
  reply = {
    ok: false,
    message: err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err),
  };
}
parentPort!.postMessage(reply);
