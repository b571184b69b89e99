import { describe, expect, it } from "vitest";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { loadDashboardAssets } from "./dashboard-routes.js";

describe("dashboard assets (served by the node at /)", () => {
  it("serves the built page, whose script and stylesheet it names, with a policy allowing the peers", async () => {
    expect(loadDashboardAssets(), "npm run build builds the dashboard").toBeDefined();
    const t = await startTestServer({ dashboardPeers: ["http://127.0.0.1:8001/"] });
    const page = await t.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain(
      "connect-src 'self' http://127.0.0.1:8001;",
    );
    const html = await page.text();
    const script = /src="\/dashboard\/(app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    const style = /href="\/dashboard\/(app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await t.request(`/dashboard/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const css = await t.request(`/dashboard/${style}`);
    expect(await css.text()).toContain(".uplot");
    // a second load of the page is answered with 304 when it did not change
    const again = await t.request("/", { headers: { "if-none-match": page.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("answers an unknown asset with 404 in the API's error shape", async () => {
    const t = await startTestServer();
    const res = await t.request("/dashboard/app.000000000000.js");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("WAVS_ERR_HTTP_NOT_FOUND");
  });

  it("says how to build the assets when they are missing, and the API still answers", async () => {
    const t = await startTestServer({}, { dashboardAssets: null });
    const res = await t.request("/");
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe("WAVS_ERR_DASHBOARD_NOT_BUILT");
    expect(error.hint).toContain("npm run build");
    expect((await t.request("/info")).status).toBe(200);
  });
});
