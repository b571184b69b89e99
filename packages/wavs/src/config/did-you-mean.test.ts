import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.js";

describe("didYouMean", () => {
  const names = ["port", "host", "ws_endpoints", "http_endpoint", "data"];

  it("suggests close names: swaps, a missing letter, a plural slip", () => {
    expect(didYouMean("prot", names)).toBe("port");
    expect(didYouMean("hst", names)).toBe("host");
    expect(didYouMean("ws_endpoint", names)).toBe("ws_endpoints");
    expect(didYouMean("HTTP_ENDPOINT", names)).toBe("http_endpoint");
  });

  it("suggests nothing for unrelated names", () => {
    expect(didYouMean("registry_domain", names)).toBeUndefined();
    expect(didYouMean("x", names)).toBeUndefined();
  });
});
