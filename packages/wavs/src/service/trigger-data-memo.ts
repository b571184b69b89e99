/**
 * Trigger data parsed once per event, not once per submission: each operator's submission of
 * an event carries the same trigger data, and a node parses it when verifying every
 * submission and again when handing each to the aggregator component. The schema parse is the
 * costly part, so parsed values are kept by their JSON text (a bounded, least recently used
 * set), and the canonical text of a parsed value by the value. Values are shared between
 * callers: treat them as read-only, as every caller already does.
 */
import { parseTriggerDataJson, type TriggerData, triggerDataToJson } from "./trigger-data.js";

/** How many distinct trigger data are kept: well above the events in flight at once. */
const CAPACITY = 1024;

const parsedByText = new Map<string, TriggerData>();
const canonicalText = new WeakMap<TriggerData, string>();

/** Parse trigger data JSON text (any form `parseTriggerDataJson` reads), memoised. */
export function parseTriggerDataText(text: string): TriggerData {
  return recall(text) ?? remember(text, parseTriggerDataJson(JSON.parse(text)));
}

/** Parse trigger data JSON already decoded (a wire message's field), memoised by its text. */
export function parseTriggerDataValue(json: unknown): TriggerData {
  let text: string | undefined;
  try {
    text = JSON.stringify(json);
  } catch {
    // not JSON-serialisable: the parse below says what is wrong with it
  }
  if (typeof text !== "string") return parseTriggerDataJson(json);
  return recall(text) ?? remember(text, parseTriggerDataJson(json));
}

/** The value parsed from `text`, now the most recently used; undefined when not kept. */
function recall(text: string): TriggerData | undefined {
  const hit = parsedByText.get(text);
  if (hit) {
    // most recently used last, so the oldest entry is the first to go
    parsedByText.delete(text);
    parsedByText.set(text, hit);
  }
  return hit;
}

/** Keep `parsed` as the value of `text`, forgetting the least recently used past capacity. */
function remember(text: string, parsed: TriggerData): TriggerData {
  parsedByText.set(text, parsed);
  if (parsedByText.size > CAPACITY) {
    parsedByText.delete(parsedByText.keys().next().value as string);
  }
  return parsed;
}

/** The text of trigger data in WAVS's JSON form (`triggerDataToJson`), memoised per value. */
export function triggerDataText(data: TriggerData): string {
  let text = canonicalText.get(data);
  if (text === undefined) {
    text = JSON.stringify(triggerDataToJson(data));
    canonicalText.set(data, text);
  }
  return text;
}
