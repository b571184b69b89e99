/** Live logs: the node's recent lines, then each new one as it comes (server-sent events). */
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorBox } from "../components.js";
import { clock, LEVEL_NAMES } from "../format.js";
import type { LogLine } from "../types.js";

/** Lines kept on the page; older ones scroll away. */
const KEEP = 500;

/** The logs page. */
export function LogsPage() {
  const [level, setLevel] = useState("info");
  const [service, setService] = useState("");
  const [lines, setLines] = useState<LogLine[]>([]);
  const [state, setState] = useState<"connecting" | "live" | "unavailable">("connecting");
  useEffect(() => {
    setLines([]);
    setState("connecting");
    const query = new URLSearchParams({ level });
    if (/^[0-9a-f]{64}$/.test(service)) query.set("service_id", service);
    const source = new EventSource(`/dev/logs/stream?${query}`);
    let opened = false;
    source.addEventListener("open", () => {
      opened = true;
      setState("live");
    });
    source.addEventListener("log", (e) => {
      const line = JSON.parse((e as MessageEvent<string>).data) as LogLine;
      setLines((old) =>
        old.length >= KEEP ? [...old.slice(old.length - KEEP + 1), line] : [...old, line],
      );
    });
    source.addEventListener("error", () => {
      // the stream is refused when dev endpoints are off; EventSource would retry forever
      if (source.readyState === EventSource.CLOSED || !opened) {
        source.close();
        setState("unavailable");
      }
    });
    return () => source.close();
  }, [level, service]);
  return html`<section data-ready=${state !== "connecting" ? "logs" : undefined}>
    <h1>Logs <span class="muted small" data-testid="logs-state">${state}</span></h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>level
        <select data-testid="log-level" value=${level} onChange=${(e: Event) => setLevel((e.target as HTMLSelectElement).value)}>
          ${["debug", "info", "warn", "error"].map((l) => html`<option value=${l}>${l}</option>`)}
        </select>
      </label>
      <label>service id
        <input data-testid="log-service" placeholder="64 hex characters" value=${service} onInput=${(e: Event) => setService((e.target as HTMLInputElement).value.trim())} />
      </label>
    </form>
    ${
      state === "unavailable"
        ? html`<${ErrorBox} error=${new Error("this node serves its logs only with dev endpoints enabled (dev_endpoints_enabled = true), or it stopped answering")} />`
        : ""
    }
    <pre class="logs" data-testid="log-lines">${lines.map(
      (l) =>
        html`<div class=${`lvl-${LEVEL_NAMES[l.level] ?? "info"}`} data-testid="log-line">${clock(l.time)} ${(LEVEL_NAMES[l.level] ?? String(l.level)).padEnd(5)} ${l.service_id ? `[${l.service_id.slice(0, 8)}] ` : ""}${l.msg}${extra(l)}</div>`,
    )}</pre>
  </section>`;
}

const SHOWN = new Set(["seq", "time", "level", "msg", "service_id", "pid", "hostname"]);

/** The line's other fields, compactly. */
function extra(line: LogLine): string {
  const rest = Object.entries(line).filter(([k]) => !SHOWN.has(k));
  return rest.length === 0
    ? ""
    : `  ${rest.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")}`;
}
