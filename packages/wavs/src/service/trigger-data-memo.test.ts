import { describe, expect, it } from "vitest";
import { parseTriggerDataJson, triggerDataToJson } from "./trigger-data.js";
import {
  parseTriggerDataText,
  parseTriggerDataValue,
  triggerDataText,
} from "./trigger-data-memo.js";

describe("trigger data memo", () => {
  const cron = { Cron: { trigger_time: 1_700_000_000 } };

  it("parses a text once: the same text gives the same value, equal to a fresh parse", () => {
    const text = JSON.stringify(cron);
    const first = parseTriggerDataText(text);
    expect(parseTriggerDataText(text)).toBe(first);
    expect(parseTriggerDataValue(JSON.parse(text))).toBe(first);
    expect(first).toEqual(parseTriggerDataJson(cron));
  });

  it("gives WAVS's JSON text of a value, whatever form it was parsed from", () => {
    const fromSnake = parseTriggerDataText('{"raw":"0x6869"}');
    expect(triggerDataText(fromSnake)).toBe(JSON.stringify(triggerDataToJson(fromSnake)));
    expect(triggerDataText(fromSnake)).toBe(
      triggerDataText(parseTriggerDataJson({ raw: "0x6869" })),
    );
  });

  it("still refuses bad trigger data, every time", () => {
    for (let i = 0; i < 2; i++) {
      expect(() => parseTriggerDataText('{"nope":1}')).toThrow(/trigger data/);
      expect(() => parseTriggerDataValue({ nope: 1 })).toThrow(/trigger data/);
    }
  });

  it("keeps a bounded number of values: old texts are parsed again, still correctly", () => {
    const first = parseTriggerDataText('{"raw":"0x01"}');
    for (let i = 0; i < 2000; i++)
      parseTriggerDataText(`{"raw":"0x${i.toString(16).padStart(4, "0")}"}`);
    const again = parseTriggerDataText('{"raw":"0x01"}');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
