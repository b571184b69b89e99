/** Small pieces every page uses: errors, badges, the token box, action results. */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, getToken, setToken } from "./api.js";

/** An error as the page shows it: the node's code and message, and its hint. */
export function ErrorBox(props: { error: unknown; what?: string }) {
  const e = props.error;
  const code = e instanceof ApiError ? e.code : "ERROR";
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof ApiError ? e.hint : undefined;
  return html`<div class="error" role="alert" data-testid="error">
    ${props.what ? html`<strong>${props.what}: </strong>` : ""}<code>${code}</code> ${message}
    ${hint ? html`<div class="hint">${hint}</div>` : ""}
  </div>`;
}

/** A status word coloured by what it means. */
export function Badge(props: { text: string }) {
  const t = props.text.toLowerCase();
  const tone =
    t === "failed" ||
    t === "unhealthy" ||
    t === "reverted" ||
    t === "paused" ||
    t === "disagreement"
      ? "bad"
      : t === "succeeded" ||
          t === "healthy" ||
          t === "active" ||
          t === "burned" ||
          t === "mined" ||
          t === "success"
        ? "good"
        : "neutral";
  return html`<span class=${`badge ${tone}`}>${props.text}</span>`;
}

/** The bearer token box in the header: actions send it; it stays in this tab only. */
export function TokenBox() {
  const [value, setValue] = useState(getToken());
  const [saved, setSaved] = useState(getToken() !== "");
  const save = (e: Event) => {
    e.preventDefault();
    setToken(value.trim());
    setSaved(value.trim() !== "");
  };
  return html`<form class="token" onSubmit=${save}>
    <input
      type="password"
      placeholder="bearer token (for actions)"
      autocomplete="off"
      aria-label="bearer token"
      data-testid="token-input"
      value=${value}
      onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)}
    />
    <button type="submit" data-testid="token-save">${saved ? "update" : "use"}</button>
    ${saved ? html`<span class="muted" data-testid="token-state">token set</span>` : ""}
  </form>`;
}

/** Run an action and say how it went: done, or the node's refusal (401 without the token). */
export function useAction(): {
  run: (what: string, action: () => Promise<unknown>) => Promise<void>;
  view: unknown;
} {
  const [state, setState] = useState<{ what: string; ok: boolean; error?: unknown } | null>(null);
  const run = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      setState({ what, ok: true });
    } catch (error) {
      setState({ what, ok: false, error });
    }
  };
  const view =
    state === null
      ? ""
      : state.ok
        ? html`<div class="done" role="status" data-testid="action-done">${state.what}: done</div>`
        : html`<div data-testid="action-refused">
            <${ErrorBox} error=${state.error} what=${`${state.what} refused`} />
            ${
              state.error instanceof ApiError && state.error.status === 401
                ? html`<div class="hint">Actions need the node's bearer token: type it in the box at the top.</div>`
                : ""
            }
          </div>`;
  return { run, view };
}

/** A link inside the dashboard. */
export function Link(props: { to: string; children: unknown; testId?: string }) {
  return html`<a href=${`#${props.to}`} data-testid=${props.testId}>${props.children}</a>`;
}
