import { describe, expect, test } from "vitest";
import { DEFAULT_WORKFLOW_ID, isWorkflowId, workflowIdProblem } from "./workflow-id.js";

describe("workflow ids", () => {
  test.each([
    ["default", true],
    ["abc", true],
    ["a-b_c-1", true],
    ["x".repeat(36), true],
    ["x".repeat(37), false],
    ["ab", false],
    ["Default", false],
    ["with space", false],
    ["dot.ted", false],
    ["", false],
    [123, false],
  ])("isWorkflowId(%j) is %s", (id, ok) => {
    expect(isWorkflowId(id)).toBe(ok);
  });

  test("the default id is valid", () => {
    expect(isWorkflowId(DEFAULT_WORKFLOW_ID)).toBe(true);
  });

  test("the problem message says what is allowed", () => {
    expect(workflowIdProblem("W1")).toMatchInlineSnapshot(
      `"'W1' is not a valid workflow id (3 to 36 characters of a-z, 0-9, _ and -)"`,
    );
    expect(workflowIdProblem("good_id")).toBeUndefined();
  });
});
