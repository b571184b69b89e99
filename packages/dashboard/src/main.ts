/**
 * The operator console, served by the node at `/`: overview, services, an event's journey,
 * live logs. Routes live in the URL's hash so the node serves one page for all of them.
 */
import { html } from "htm/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { self } from "./api.js";
import { TokenBox } from "./components.js";
import { usePoll } from "./hooks.js";
import { EventPage } from "./pages/event.js";
import { LogsPage } from "./pages/logs.js";
import { Overview } from "./pages/overview.js";
import { ServicePage } from "./pages/service.js";
import type { Info } from "./types.js";

function useHashRoute(): string {
  const read = () => location.hash.replace(/^#/, "") || "/";
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

function Page(props: { route: string; info: Info | undefined }) {
  const { route, info } = props;
  const service = /^\/services\/([0-9a-f]{64})$/.exec(route);
  if (service) return html`<${ServicePage} id=${service[1]} info=${info} />`;
  const event = /^\/events\/(0x[0-9a-fA-F]{40})$/.exec(route);
  if (event) return html`<${EventPage} id=${event[1]!.toLowerCase()} info=${info} />`;
  if (route === "/logs") return html`<${LogsPage} />`;
  if (route === "/") return html`<${Overview} info=${info} />`;
  return html`<section data-ready="missing"><h1>Not found</h1><p>No page at ${route}. <a href="#/">Overview</a></p></section>`;
}

function App() {
  const route = useHashRoute();
  const info = usePoll((signal) => self.get<Info>("/info", signal), 10_000, []);
  const [jump, setJump] = useState("");
  const go = (e: Event) => {
    e.preventDefault();
    const id = jump.trim();
    if (/^(0x)?[0-9a-fA-F]{40}$/.test(id))
      location.hash = `#/events/${id.startsWith("0x") ? id : `0x${id}`}`;
    else if (/^[0-9a-f]{64}$/.test(id)) location.hash = `#/services/${id}`;
  };
  return html`<header>
      <a class="brand" href="#/">WAVS node</a>
      <nav>
        <a href="#/" class=${route === "/" ? "on" : ""}>overview</a>
        <a href="#/logs" class=${route === "/logs" ? "on" : ""} data-testid="nav-logs">logs</a>
        <a href="/swagger-ui">API</a>
      </nav>
      <form class="jump" onSubmit=${go}>
        <input placeholder="event id or service id" aria-label="go to" value=${jump} onInput=${(e: Event) => setJump((e.target as HTMLInputElement).value)} />
      </form>
      <${TokenBox} />
    </header>
    <main>${info.loaded ? html`<${Page} route=${route} info=${info.data} />` : ""}</main>`;
}

render(html`<${App} />`, document.getElementById("app")!);
