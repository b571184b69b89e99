/** One service: its workflows, recent executions and aggregations, and the actions on it. */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { self } from "../api.js";
import { Badge, ErrorBox, Link, useAction } from "../components.js";
import { clock, count, duration, short } from "../format.js";
import { usePoll } from "../hooks.js";
import type {
  Aggregation,
  Execution,
  Info,
  KnownOperator,
  P2pStatus,
  ServiceJson,
  ServicesAnswer,
  WorkflowJson,
} from "../types.js";

const text = new TextEncoder();

/** UTF-8 text as 0x hex, the `raw` trigger data of a dev trigger. */
function hexOf(input: string): string {
  return `0x${[...text.encode(input)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The component's source: its digest, and where it comes from when not uploaded. */
function sourceOf(workflow: WorkflowJson): string {
  const source = workflow.component.source as Record<string, unknown> | string;
  if (typeof source === "string") return source;
  const [kind, body] = Object.entries(source)[0] ?? ["?", undefined];
  if (typeof body === "string") return kind === "digest" ? body : `${kind} ${body}`;
  const b = (body ?? {}) as Record<string, unknown>;
  const where = b.url ?? b.uri ?? b.package ?? "";
  return [kind, b.digest, where].filter((x) => x !== undefined && x !== "").join(" ");
}

const limit = (value: number | null | undefined, unit: string) =>
  value === null || value === undefined
    ? "node default"
    : `${value.toLocaleString("en-US")}${unit}`;

const compact = (value: unknown) => (value === undefined ? "-" : JSON.stringify(value));

/** The service page. */
export function ServicePage(props: { id: string; info: Info | undefined }) {
  const { id } = props;
  const service = usePoll(
    async (signal) => {
      const all = await self.get<ServicesAnswer>("/services", signal);
      const i = all.service_ids.indexOf(id);
      return i < 0 ? null : (all.services[i] as ServiceJson);
    },
    3000,
    [id],
  );
  const executions = usePoll(
    (signal) =>
      self.get<{ executions: Execution[] }>(`/services/${id}/executions?limit=50`, signal),
    3000,
    [id],
  );
  const aggregations = usePoll(
    (signal) =>
      self.get<{ aggregations: Aggregation[] }>(`/services/${id}/aggregations?limit=20`, signal),
    3000,
    [id],
  );
  const p2p = usePoll((signal) => self.get<P2pStatus>("/p2p/status", signal), 5000, [id]);
  const own = props.info?.services.find((x) => x.service_id === id)?.signer ?? null;
  const action = useAction();
  const s = service.data;
  const ready = service.loaded && executions.loaded && aggregations.loaded && p2p.loaded;
  if (service.loaded && s === null && !executions.data) {
    return html`<section data-ready="service"><h1>Service</h1><${ErrorBox} error=${new Error(`service ${id} is not registered on this node`)} /></section>`;
  }
  return html`<section data-ready=${ready ? "service" : undefined}>
    <h1>${s?.name ?? "Service"} ${s ? html`<${Badge} text=${s.status} />` : ""}</h1>
    <p class="mono small">${id}</p>
    ${service.error ? html`<${ErrorBox} error=${service.error} />` : ""}
    ${
      s
        ? html`<div class="actions">
          <button
            data-testid="toggle-status"
            onClick=${() =>
              action.run(s.status === "paused" ? "resume" : "pause", () =>
                self.post(`/services/${id}/status`, {
                  status: s.status === "paused" ? "active" : "paused",
                }),
              )}
          >
            ${s.status === "paused" ? "resume" : "pause"}
          </button>
          <${UploadComponent} run=${action.run} />
        </div>`
        : ""
    }
    ${action.view}
    <h2>Workflows</h2>
    ${s ? Object.entries(s.workflows).map(([wid, w]) => html`<${Workflow} serviceId=${id} id=${wid} workflow=${w} run=${action.run} />`) : ""}
    <h2>Recent executions</h2>
    ${executions.error ? html`<${ErrorBox} error=${executions.error} />` : ""}
    ${executions.data ? html`<${Executions} rows=${executions.data.executions} />` : ""}
    <h2>Aggregations</h2>
    ${aggregations.error ? html`<${ErrorBox} error=${aggregations.error} />` : ""}
    ${aggregations.data ? html`<${Aggregations} rows=${aggregations.data.aggregations} />` : ""}
    <h2>Operators</h2>
    ${p2p.error ? html`<${ErrorBox} error=${p2p.error} />` : ""}
    ${p2p.data ? html`<${Operators} p2p=${p2p.data} own=${own} serviceId=${id} />` : ""}
  </section>`;
}

type Run = (what: string, action: () => Promise<unknown>) => Promise<void>;

function UploadComponent(props: { run: Run }) {
  const [digest, setDigest] = useState<string | null>(null);
  const upload = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    await props.run(`upload ${file.name}`, async () => {
      const answer = await self.post<{ digest: string }>("/dev/components", bytes);
      setDigest(answer?.digest ?? null);
    });
  };
  return html`<label class="upload">upload a component <input type="file" accept=".wasm,application/wasm" data-testid="upload" onChange=${upload} /></label>
    ${digest ? html`<span class="mono small" data-testid="uploaded-digest">${digest}</span>` : ""}`;
}

function Workflow(props: { serviceId: string; id: string; workflow: WorkflowJson; run: Run }) {
  const w = props.workflow;
  const [input, setInput] = useState("");
  const fire = (e: Event) => {
    e.preventDefault();
    void props.run("fire trigger", () =>
      self.post("/dev/triggers", {
        service_id: props.serviceId,
        workflow_id: props.id,
        data: { raw: hexOf(input) },
      }),
    );
  };
  return html`<div class="workflow" data-testid="workflow">
    <h3>${props.id}</h3>
    <dl>
      <dt>trigger</dt><dd class="mono small">${compact(w.trigger)}</dd>
      <dt>component</dt><dd class="mono small" data-testid="component-digest">${sourceOf(w)}</dd>
      <dt>limits</dt><dd>fuel ${limit(w.component.fuel_limit, "")}, time ${limit(w.component.time_limit_seconds, " s")}</dd>
      <dt>permissions</dt><dd class="mono small">${compact(w.component.permissions)}</dd>
      <dt>submit</dt><dd class="mono small">${compact(w.submit)}</dd>
    </dl>
    <form class="fire" onSubmit=${fire}>
      <input placeholder="raw input (text)" aria-label="trigger input" data-testid="fire-input" value=${input} onInput=${(e: Event) => setInput((e.target as HTMLInputElement).value)} />
      <button type="submit" data-testid="fire">fire a dev trigger</button>
    </form>
  </div>`;
}

function Executions(props: { rows: Execution[] }) {
  if (props.rows.length === 0) return html`<p class="muted">No execution yet.</p>`;
  return html`<table data-testid="executions">
    <thead><tr><th>#</th><th>event</th><th>workflow</th><th>status</th><th>started</th><th>duration</th><th>fuel</th><th>logs / error</th></tr></thead>
    <tbody>
      ${props.rows.map(
        (e) => html`<tr data-testid="execution-row">
          <td>${e.id}</td>
          <td class="mono"><${Link} to=${`/events/${e.event_id}`} testId="event-link">${short(e.event_id)}</${Link}></td>
          <td>${e.workflow_id}</td>
          <td><${Badge} text=${e.status} /></td>
          <td>${clock(e.started_at)}</td>
          <td data-testid="execution-duration">${duration(e.duration_ms)}</td>
          <td>${count(e.fuel_used)}</td>
          <td>
            ${e.error_code ? html`<div class="bad-text"><code>${e.error_code}</code> ${e.error_message}</div>` : ""}
            ${
              e.logs.length > 0
                ? html`<details><summary>${e.logs.length} log lines</summary><pre>${e.logs.map((l) => `[${l.level}] ${l.message}`).join("\n")}</pre></details>`
                : ""
            }
          </td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Aggregations(props: { rows: Aggregation[] }) {
  if (props.rows.length === 0) return html`<p class="muted">No aggregation yet.</p>`;
  return html`<table data-testid="aggregations">
    <thead><tr><th>event</th><th>status</th><th>signers</th><th>quorum</th><th>landed</th><th>notes</th></tr></thead>
    <tbody>
      ${props.rows.map(
        (a) => html`<tr>
          <td class="mono"><${Link} to=${`/events/${a.event_id}`}>${short(a.event_id)}</${Link}></td>
          <td><${Badge} text=${a.status} /></td>
          <td>${a.signers.length}${a.disagreements.length ? html` <${Badge} text="disagreement" />` : ""}</td>
          <td>${clock(a.quorum_reached_at)}</td>
          <td class="mono">${a.landed_by ? `${a.landed_by}: ${short(a.landed_tx_hash)}` : "-"}</td>
          <td class="small">${a.notes.join("; ")}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The operators this node ranks when it decides who sends a result, itself included. */
function Operators(props: { p2p: P2pStatus; own: string | null; serviceId: string }) {
  if (!props.p2p.enabled)
    return html`<p class="muted">P2P is disabled: this node aggregates alone.</p>`;
  const topic = props.p2p.topics?.find((t) => t.service_id === props.serviceId);
  const rows: KnownOperator[] = topic?.operators ?? [];
  if (rows.length === 0)
    return html`<p class="muted">No operator known yet: none has announced itself or signed.</p>`;
  return html`<table data-testid="operators">
    <thead><tr><th>signing key</th><th>last signed</th><th>announced</th></tr></thead>
    <tbody>
      ${rows.map(
        (o) => html`<tr data-testid="operator-row">
          <td class="mono">${o.signer}${o.signer.toLowerCase() === props.own?.toLowerCase() ? html` <span class="muted">(this node)</span>` : ""}</td>
          <td>${clock(o.last_signed_at)}</td>
          <td>${clock(o.present_at)}</td>
        </tr>`,
      )}
    </tbody>
  </table>
  <p class="muted small">${topic?.peers ?? 0} peers on the service's topic.</p>`;
}
