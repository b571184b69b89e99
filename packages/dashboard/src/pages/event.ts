/** An event's journey across every operator the page knows, as a timeline. */
import { html } from "htm/preact";
import { Badge, ErrorBox, Link } from "../components.js";
import { clock, short } from "../format.js";
import { usePoll } from "../hooks.js";
import { buildJourney, type Journey, type NodeView } from "../journey.js";
import { fromEach, networkOf } from "../network.js";
import type { EventAnswer, Info } from "../types.js";

/** The event page. */
export function EventPage(props: { id: string; info: Info | undefined }) {
  const nodes = networkOf(props.info);
  const views = usePoll(
    async (signal) => {
      const answers = await fromEach(nodes, async (node) => {
        const [answer, info] = await Promise.all([
          node.get<EventAnswer>(`/events/${props.id}`, signal),
          node.get<Info>("/info", signal),
        ]);
        return { answer, info };
      });
      const failed = answers
        .filter((a) => a.error)
        .map((a) => ({ node: a.node.label, error: a.error }));
      const ok = answers.filter((a) => a.value);
      const serviceId = ok
        .flatMap((a) => [...a.value!.answer.executions, ...a.value!.answer.aggregations])
        .map((r) => r.service_id)[0];
      const list: NodeView[] = ok.map((a) => ({
        node: a.node.label,
        signer: a.value!.info.services.find((s) => s.service_id === serviceId)?.signer ?? null,
        answer: a.value!.answer,
      }));
      return { journey: buildJourney(list), failed };
    },
    2000,
    [props.id, nodes.map((n) => n.base).join(" ")],
  );
  const j = views.data?.journey;
  return html`<section data-ready=${views.loaded ? "event" : undefined}>
    <h1>Event</h1>
    <p class="mono" data-testid="event-id">${props.id}</p>
    ${views.error ? html`<${ErrorBox} error=${views.error} />` : ""}
    ${views.data?.failed.map((f) => html`<${ErrorBox} error=${f.error} what=${f.node} />`)}
    ${j ? html`<${JourneyView} journey=${j} />` : ""}
  </section>`;
}

function JourneyView(props: { journey: Journey }) {
  const j = props.journey;
  if (j.steps.length === 0) {
    return html`<p class="muted" data-testid="journey-empty">No node knows this event (yet).</p>`;
  }
  const first = j.steps[0]!.at;
  return html`
    <p>
      ${j.serviceId ? html`service <${Link} to=${`/services/${j.serviceId}`}>${short(j.serviceId)}</${Link}>` : ""}
      ${j.workflowId ? html`, workflow ${j.workflowId}` : ""}
    </p>
    <ol class="journey" data-testid="journey">
      ${j.steps.map(
        (s) => html`<li class=${s.ok ? "" : "bad"} data-testid="step" data-kind=${s.kind}>
          <span class="t">${clock(s.at)}</span>
          <span class="dt">+${s.at - first} ms</span>
          <span class="who">${s.node}</span>
          <span class="what">${s.title}</span>
          <span class="detail mono small">${s.detail}</span>
        </li>`,
      )}
    </ol>
    <h2>Envelopes signed ${j.envelopes.length > 1 ? html`<${Badge} text="disagreement" />` : ""}</h2>
    <div class="envelopes" data-testid="envelopes">
      ${j.envelopes.map(
        (e) => html`<div class="envelope" data-testid="envelope">
          <div class="mono small">${e.envelope_hash}</div>
          <ul>${e.signers.map((s) => html`<li class="mono small">${s}</li>`)}</ul>
        </div>`,
      )}
    </div>`;
}
