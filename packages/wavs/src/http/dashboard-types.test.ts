/**
 * The dashboard keeps its own copy of the answers it reads (packages/dashboard/src/types.ts:
 * browser code, no import from the node). `tsc -p tsconfig.test.json` checks here that every
 * record the node writes still fits what the pages read, so the two cannot drift apart.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as Page from "../../../dashboard/src/types.js";
import type {
  AggregationRecord,
  EventRecord,
  ExecutionRecord,
  ExecutionStats,
  SubmissionRecord,
  TriggerStreamInfo,
} from "./node-api.js";

describe("the dashboard's view of the API", () => {
  it("fits the records the node answers with", () => {
    expectTypeOf<ExecutionRecord>().toExtend<Omit<Page.Execution, "trigger_data">>();
    expectTypeOf<SubmissionRecord>().toExtend<Page.Submission>();
    expectTypeOf<AggregationRecord>().toExtend<Page.Aggregation>();
    expectTypeOf<ExecutionStats>().toExtend<Page.ExecutionStats>();
    expectTypeOf<TriggerStreamInfo>().toExtend<Page.ChainStream>();
    expectTypeOf<EventRecord["aggregations"]>().toExtend<Page.EventAnswer["aggregations"]>();
  });
});
