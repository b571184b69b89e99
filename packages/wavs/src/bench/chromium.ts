/**
 * A real browser for the dashboard's tests and benchmark: Debian's Chromium driven by playwright-core (`.ci/run`
 * installs the `chromium` package). Every page error and console error is collected: a test
 * asserts there are none.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Where Chromium is: $CHROMIUM_PATH, else Debian's package. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
  if (!found) {
    throw new Error(
      "no Chromium found: install Debian's `chromium` package (`.ci/run` does) or set CHROMIUM_PATH",
    );
  }
  return found;
}

/** A launched browser with one page and the JavaScript errors it has seen. */
export interface TestBrowser {
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors, in order. */
  errors: string[];
  /** Responses with a 4xx/5xx status: `<status> <method> <path>` (tests say which they expect). */
  failedResponses: string[];
  close(): Promise<void>;
}

/** Launch headless Chromium with one page of the given size. */
export async function launchBrowser(
  viewport = { width: 1400, height: 1000 },
): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // the CI container runs as root, where Chromium's sandbox cannot start
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const failedResponses: string[] = [];
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    // Chromium also logs every 4xx/5xx response as a console error; those are counted (and
    // checked) as failed responses, not as JavaScript errors
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
      errors.push(`console error: ${msg.text()}`);
    }
  });
  page.on("response", (res) => {
    if (res.status() >= 400) {
      failedResponses.push(
        `${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`,
      );
    }
  });
  return { browser, page, errors, failedResponses, close: () => browser.close() };
}
