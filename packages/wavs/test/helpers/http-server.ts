/** A real HTTP server on 127.0.0.1 serving fixed bodies by path (service JSON, components). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What one path answers. */
export interface Route {
  body: string | Uint8Array;
  status?: number;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Answer `path` (e.g. `/svc.json`) with `route` from now on. */
  serve(path: string, route: Route | string | Uint8Array): string;
  /** The Authorization header of the last request. */
  lastAuthorization(): string | undefined;
  /** How many requests reached `path`. */
  hits(path: string): number;
  close(): Promise<void>;
}

/** Start a server; unknown paths answer 404. */
export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  let authorization: string | undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    authorization = req.headers.authorization;
    const route = routes.get(path);
    const answer = () => {
      if (route === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(route.status ?? 200, { "content-type": "application/octet-stream" });
      res.end(route.body);
    };
    if (route?.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve(path, route) {
      routes.set(
        path,
        typeof route === "string" || route instanceof Uint8Array ? { body: route } : route,
      );
      return `${url}${path}`;
    },
    hits: (path) => hits.get(path) ?? 0,
    lastAuthorization: () => authorization,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
