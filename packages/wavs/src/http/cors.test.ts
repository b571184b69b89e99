import { describe, expect, it } from "vitest";
import { startTestServer } from "../../test/helpers/test-server.js";
import { allowedOrigin } from "./cors.js";

describe("CORS", () => {
  it("allows only the configured origins", () => {
    expect(allowedOrigin("https://a.example", ["https://a.example"])).toBe("https://a.example");
    expect(allowedOrigin("https://b.example", ["https://a.example"])).toBeUndefined();
    expect(allowedOrigin("https://b.example", ["*"])).toBe("*");
    expect(allowedOrigin(undefined, ["*"])).toBeUndefined();
  });

  it("answers preflights and tags responses for an allowed origin", async () => {
    const t = await startTestServer({
      corsAllowedOrigins: ["https://dash.example"],
      bearerToken: "t",
    });
    const preflight = await t.request("/services", {
      method: "OPTIONS",
      headers: { origin: "https://dash.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://dash.example");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);

    const get = await t.request("/health", { headers: { origin: "https://dash.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("https://dash.example");

    const other = await t.request("/health", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-max-age")).toBe("600");
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);

    // a refused request still carries the headers, so the browser can read why
    const refused = await t.request("/services", {
      method: "POST",
      headers: { origin: "https://dash.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://dash.example");
  });

  it("sends no CORS headers when no origin is configured", async () => {
    const t = await startTestServer();
    const res = await t.request("/health", { headers: { origin: "https://dash.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
