/** The overview: the node (and on a dev network every operator), chains, peers, services, rates. */
import { html } from "htm/preact";
import type { NodeClient } from "../api.js";
import { Chart, type Series } from "../chart.js";
import { Badge, ErrorBox, Link } from "../components.js";
import { count, duration, percent, short } from "../format.js";
import { usePoll } from "../hooks.js";
import { fromEach, networkOf } from "../network.js";
import type { ChainStream, ExecutionStats, Info, P2pStatus, ServicesAnswer } from "../types.js";

/** Charts cover the last 15 minutes in 15 s buckets. */
const WINDOW_S = 900;
const BUCKET_S = 15;

interface NodeState {
  info: Info;
  chains: ChainStream[];
  p2p: P2pStatus;
  stats: ExecutionStats;
}

async function loadNode(node: NodeClient, signal: AbortSignal): Promise<NodeState> {
  const [info, chains, p2p, stats] = await Promise.all([
    node.get<Info>("/info", signal),
    node.get<{ chains: ChainStream[] }>("/chains", signal),
    node.get<P2pStatus>("/p2p/status", signal),
    node.get<ExecutionStats>(`/stats/executions?window_s=${WINDOW_S}&bucket_s=${BUCKET_S}`, signal),
  ]);
  return { info, chains: chains.chains, p2p, stats };
}

function peersOf(p2p: P2pStatus): string[] {
  return Array.isArray(p2p.connected_peers) ? p2p.connected_peers.map(String) : [];
}

function totals(stats: ExecutionStats) {
  let ok = 0;
  let failed = 0;
  for (const b of stats.buckets) {
    ok += b.succeeded;
    failed += b.failed;
  }
  return { ok, failed, all: ok + failed };
}

/** The overview page. */
export function Overview(props: { info: Info | undefined }) {
  const nodes = networkOf(props.info);
  const network = usePoll((signal) => fromEach(nodes, (node) => loadNode(node, signal)), 3000, [
    nodes.map((n) => n.base).join(" "),
  ]);
  const services = usePoll(
    (signal) => nodes[0]!.get<ServicesAnswer>("/services", signal),
    5000,
    [],
  );
  const states = network.data ?? [];
  const own = states[0]?.value;
  const times = own?.stats.buckets.map((b) => b.t) ?? [];
  const rate: Series[] = [];
  const errors: Series[] = [];
  for (const s of states) {
    if (!s.value) continue;
    rate.push({
      label: s.node.label,
      values: s.value.stats.buckets.map((b) => (b.succeeded + b.failed) / BUCKET_S),
    });
    errors.push({
      label: s.node.label,
      values: s.value.stats.buckets.map((b) => {
        const n = b.succeeded + b.failed;
        return n === 0 ? null : (b.failed / n) * 100;
      }),
    });
  }
  const ready = network.loaded && services.loaded;
  return html`<section data-ready=${ready ? "overview" : undefined}>
    <h1>Overview</h1>
    ${network.error ? html`<${ErrorBox} error=${network.error} />` : ""}
    ${
      own
        ? html`<div class="cards">
          <div class="card"><div class="k">version</div><div class="v" data-testid="version">${own.info.version}</div></div>
          <div class="card"><div class="k">uptime</div><div class="v" data-testid="uptime">${duration(own.info.uptime_s * 1000)}</div></div>
          <div class="card"><div class="k">operator</div><div class="v mono" title=${own.info.operator_address ?? ""}>${short(own.info.operator_address)}</div></div>
          <div class="card"><div class="k">P2P peers</div><div class="v" data-testid="peer-count">${own.p2p.enabled ? peersOf(own.p2p).length : "off"}</div></div>
          <div class="card"><div class="k">executions (15 min)</div><div class="v" data-testid="exec-total">${count(totals(own.stats).all)}</div></div>
          <div class="card"><div class="k">error rate (15 min)</div><div class="v" data-testid="error-rate">${percent(totals(own.stats).failed, totals(own.stats).all)}</div></div>
        </div>`
        : ""
    }
    <div class="charts">
      <${Chart} title="executions per second" unit="exec/s" times=${times} series=${rate} testId="chart-rate" />
      <${Chart} title="error rate" unit="% failed" times=${times} series=${errors} testId="chart-errors" />
    </div>
    ${states.length > 1 ? html`<${Operators} states=${states} />` : ""}
    <h2>Chains</h2>
    ${own ? html`<${Chains} chains=${own.chains} />` : ""}
    <h2>Services</h2>
    ${services.error ? html`<${ErrorBox} error=${services.error} />` : ""}
    ${services.data && own ? html`<${Services} answer=${services.data} stats=${own.stats} />` : ""}
    <h2>P2P</h2>
    ${own ? html`<${P2p} p2p=${own.p2p} />` : ""}
  </section>`;
}

function Operators(props: { states: { node: NodeClient; value?: NodeState; error?: Error }[] }) {
  return html`<h2>Operators</h2>
    <table data-testid="operators">
      <thead><tr><th>node</th><th>operator</th><th>version</th><th>uptime</th><th>peers</th><th>heads</th><th>executions (15 min)</th><th>failed</th></tr></thead>
      <tbody>
        ${props.states.map((s) => {
          if (!s.value) {
            return html`<tr><td>${s.node.label}</td><td colspan="7"><${ErrorBox} error=${s.error} /></td></tr>`;
          }
          const t = totals(s.value.stats);
          return html`<tr data-testid="operator-row">
            <td>${s.node.base === "" ? "this node" : html`<a href=${`${s.node.base}/`}>${s.node.label}</a>`}</td>
            <td class="mono">${short(s.value.info.operator_address)}</td>
            <td>${s.value.info.version}</td>
            <td>${duration(s.value.info.uptime_s * 1000)}</td>
            <td>${peersOf(s.value.p2p).length}</td>
            <td>${s.value.chains.map((c) => html`<div>${c.chain} ${count(c.head)} <${Badge} text=${c.healthy ? "healthy" : "unhealthy"} /></div>`)}</td>
            <td>${count(t.all)}</td>
            <td>${count(t.failed)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}

function Chains(props: { chains: ChainStream[] }) {
  if (props.chains.length === 0) return html`<p class="muted">No chain is watched.</p>`;
  return html`<table data-testid="chains">
    <thead><tr><th>chain</th><th>heads by</th><th>endpoint</th><th>head</th><th>processed</th><th>lag</th></tr></thead>
    <tbody>
      ${props.chains.map(
        (c) => html`<tr data-testid="chain-row">
          <td>${c.chain}</td>
          <td>${c.mode}</td>
          <td><${Badge} text=${c.healthy ? "healthy" : "unhealthy"} />${c.error ? html` <span class="muted">${c.error}</span>` : ""}</td>
          <td data-testid="chain-head">${count(c.head)}</td>
          <td>${count(c.cursor)}</td>
          <td>${c.lag === null ? "-" : `${c.lag} blocks`}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Services(props: { answer: ServicesAnswer; stats: ExecutionStats }) {
  const { services, service_ids } = props.answer;
  if (services.length === 0) return html`<p class="muted">No service is registered.</p>`;
  return html`<table data-testid="services">
    <thead><tr><th>service</th><th>id</th><th>status</th><th>workflows</th><th>executions (15 min)</th><th>error rate</th><th>average run</th></tr></thead>
    <tbody>
      ${services.map((s, i) => {
        const id = service_ids[i] ?? "";
        const st = props.stats.services.find((x) => x.service_id === id);
        const all = (st?.succeeded ?? 0) + (st?.failed ?? 0);
        return html`<tr data-testid="service-row">
          <td><${Link} to=${`/services/${id}`} testId="service-link">${s.name}</${Link}></td>
          <td class="mono" title=${id}>${short(id)}</td>
          <td><${Badge} text=${s.status} /></td>
          <td>${Object.keys(s.workflows).length}</td>
          <td data-testid="service-executions">${count(all)}</td>
          <td>${percent(st?.failed ?? 0, all)}</td>
          <td>${duration(st?.avg_ms)}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function P2p(props: { p2p: P2pStatus }) {
  if (!props.p2p.enabled)
    return html`<p class="muted">P2P is disabled: this node aggregates alone.</p>`;
  const peers = peersOf(props.p2p);
  return html`<p>peer id <span class="mono">${String(props.p2p.peer_id ?? "-")}</span>, ${peers.length} connected</p>
    <ul class="mono small">${peers.map((p) => html`<li>${p}</li>`)}</ul>`;
}
