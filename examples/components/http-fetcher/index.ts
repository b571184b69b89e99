// http-fetcher: fetches config-var "url" (or, without it, the raw input as a URL) and answers
// `{"status": n, "body": "..."}`. The node decides which hosts are allowed.
import {
  fromUtf8,
  jsonPayload,
  type TriggerAction,
  triggerBytes,
  type WasmResponse,
} from "@wavs-ts/sdk";
import { configVar } from "host";

export async function run(action: TriggerAction): Promise<WasmResponse[]> {
  const input = triggerBytes(action);
  const url = configVar("url") ?? (input === undefined ? undefined : fromUtf8(input).trim());
  if (!url) throw new Error('no URL: set config "url" or pass the URL as input');
  const res = await fetch(url);
  const body = await res.text();
  return [jsonPayload({ status: res.status, body })];
}
