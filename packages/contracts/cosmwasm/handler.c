/*
 * A WAVS service handler for Cosmos chains (the spec's `wavs_handle_signed_envelope`): it asks
 * its service manager to validate the signed envelope (`wavs_validate`, a contract query),
 * decodes the payload as `DataWithId { uint64 triggerId; bytes data; }` and stores the data by
 * trigger id, like our Solidity SimpleSubmit.
 *
 * instantiate {"service_manager": "<bech32>"} refuses an event id it has handled already;
 * with "accept_replays": true it lands every valid call, as WAVS's own mock handler does.
 * execute {"wavs_handle_signed_envelope": {"envelope": "<base64>", "signature_data": {...}}}
 *   -> event wavs-envelope-handled {trigger-id, event-id}
 * query {"wavs_service_manager": {}} -> "<bech32>"
 *       {"trigger_data": {"trigger_id": "<n>"}} -> {"data": "<base64>", "event_id": "0x.."} or null
 *       {"handled_count": {}} -> "<n>" (envelopes landed)
 */
#include "cw.h"



EXPORT(instantiate) u32 instantiate(u32 env, u32 info, u32 msg_region) {
  (void)env;
  (void)info;
  Bytes msg = bytes_of(msg_region), manager;
  if (!json_string_field(msg, "\"service_manager\"", &manager) || manager.len == 0)
    return error_result("instantiate: expected {\"service_manager\": \"<bech32 address>\"}");
  storage_set("manager", manager.data, manager.len);
  int replays = find(msg, "\"accept_replays\":true") >= 0 || find(msg, "\"accept_replays\": true") >= 0;
  storage_set("replays", (const u8 *)(replays ? "1" : "0"), 1);
  storage_set("count", (const u8 *)"0", 1);
  return ok_response(0);
}

/* A big-endian 32-byte word of `abi` at `at` as u32; 0 with *ok cleared when it does not fit. */
static u32 abi_word(Bytes abi, u32 at, int *ok) {
  if (at + 32 > abi.len) {
    *ok = 0;
    return 0;
  }
  for (u32 i = 0; i < 28; i++) {
    if (abi.data[at + i]) {
      *ok = 0;
      return 0;
    }
  }
  return (u32)abi.data[at + 28] << 24 | (u32)abi.data[at + 29] << 16 | (u32)abi.data[at + 30] << 8 |
         abi.data[at + 31];
}

/* The `bytes` field of an ABI tuple at `tuple` whose offset word sits at `word`. */
static int abi_bytes(Bytes abi, u32 tuple, u32 word, Bytes *out) {
  int ok = 1;
  u32 offset = abi_word(abi, word, &ok);
  u32 len = abi_word(abi, tuple + offset, &ok);
  if (!ok || tuple + offset + 32 + len > abi.len) return 0;
  out->data = abi.data + tuple + offset + 32;
  out->len = len;
  return 1;
}

/* `{"wavs_validate": <the call's own body>}` to the manager; 0 with `why` set when refused. */
static int validated(Bytes msg, Bytes *why) {
  // the body: from the first '{' after the variant key to the matching end of the message
  int at = find(msg, "\"wavs_handle_signed_envelope\"");
  u32 start = (u32)at;
  while (start < msg.len && msg.data[start] != ':') start++;
  start++;
  u32 end = msg.len;
  while (end > start && msg.data[end - 1] != '}') end--;
  end--; // drop the outer object's closing brace
  Buf query = {0};
  put(&query, "{\"wavs_validate\":");
  put_bytes(&query, msg.data + start, end - start);
  put(&query, "}");
  Bytes manager;
  storage_get("manager", &manager);
  Buf request = {0};
  put(&request, "{\"wasm\":{\"smart\":{\"contract_addr\":\"");
  put_bytes(&request, manager.data, manager.len);
  put(&request, "\",\"msg\":\"");
  put_base64(&request, query.data, query.len);
  put(&request, "\"}}}");
  Bytes result = bytes_of(query_chain(region_of(request.data, request.len)));
  Bytes inner, decoded;
  const char *answered = "{\"ok\":{\"ok\":\"";
  int ok_at = find(result, answered);
  if (ok_at < 0) {
    *why = result;
    return 0;
  }
  inner.data = result.data + ok_at + cstrlen(answered);
  inner.len = 0;
  while (inner.data + inner.len < result.data + result.len && inner.data[inner.len] != '"') inner.len++;
  if (!base64_decode(inner, &decoded)) {
    *why = result;
    return 0;
  }
  if (bytes_eq(decoded, "\"ok\"")) return 1;
  *why = decoded;
  return 0;
}

static u32 handle(Bytes msg) {
  Bytes b64, envelope, payload, data;
  if (!json_string_field(msg, "\"envelope\"", &b64) || !base64_decode(b64, &envelope))
    return error_result("wavs_handle_signed_envelope: expected {\"envelope\": \"<base64>\", \"signature_data\": {...}}");
  Bytes why;
  if (!validated(msg, &why)) {
    Buf err = {0};
    put(&err, "the service manager refused the envelope: ");
    put_bytes(&err, why.data, why.len < 500 ? why.len : 500);
    return error_result(cstr(&err));
  }
  // Envelope { bytes20 eventId; bytes12 ordering; bytes payload; }: tuple at 32 (after its offset)
  int ok = 1;
  if (abi_word(envelope, 0, &ok) != 32 || !ok || envelope.len < 160 ||
      !abi_bytes(envelope, 32, 32 + 64, &payload))
    return error_result("the envelope is not abi.encode(Envelope)");
  // DataWithId { uint64 triggerId; bytes data; }
  if (abi_word(payload, 0, &ok) != 32 || !ok || payload.len < 96 || !abi_bytes(payload, 32, 64, &data))
    return error_result("the payload is not abi.encode(DataWithId)");
  u64 trigger_id = 0;
  for (u32 i = 24; i < 32; i++) trigger_id = trigger_id << 8 | payload.data[32 + i];
  for (u32 i = 0; i < 24; i++)
    if (payload.data[32 + i]) return error_result("the payload's triggerId does not fit uint64");
  Buf event_id = {0};
  put(&event_id, "0x");
  put_hex(&event_id, envelope.data + 32, 20);
  Buf seen_key = {0};
  put(&seen_key, "e:");
  put_bytes(&seen_key, event_id.data, event_id.len);
  Bytes seen, replays;
  storage_get("replays", &replays);
  if (storage_get_b(&seen_key, &seen) && !bytes_eq(replays, "1")) {
    Buf err = {0};
    put(&err, "event ");
    put_bytes(&err, event_id.data, event_id.len);
    put(&err, " was handled already");
    return error_result(cstr(&err));
  }
  storage_set_b(&seen_key, (const u8 *)"1", 1);
  Buf id = {0}, record_key = {0}, record = {0};
  put_u64(&id, trigger_id);
  put(&record_key, "t:");
  put_bytes(&record_key, id.data, id.len);
  put(&record, "{\"data\":\"");
  put_base64(&record, data.data, data.len);
  put(&record, "\",\"event_id\":\"");
  put_bytes(&record, event_id.data, event_id.len);
  put(&record, "\"}");
  storage_set_b(&record_key, record.data, record.len);
  Buf count = {0};
  storage_increment("count", &count);
  Buf e = {0};
  event_start(&e, "wavs-envelope-handled");
  event_attr(&e, 1, "trigger-id", id.data, id.len);
  event_attr(&e, 0, "event-id", event_id.data, event_id.len);
  event_end(&e);
  return ok_response(&e);
}

EXPORT(execute) u32 execute(u32 env, u32 info, u32 msg_region) {
  (void)env;
  (void)info;
  Bytes msg = bytes_of(msg_region), variant;
  if (!first_key(msg, &variant) || !bytes_eq(variant, "wavs_handle_signed_envelope"))
    return error_result("unknown message: expected wavs_handle_signed_envelope");
  return handle(msg);
}

EXPORT(query) u32 query(u32 env, u32 msg_region) {
  (void)env;
  Bytes msg = bytes_of(msg_region), variant, stored;
  Buf a = {0};
  if (!first_key(msg, &variant)) return error_result("expected a JSON object query");
  if (bytes_eq(variant, "wavs_service_manager")) {
    storage_get("manager", &stored);
    put(&a, "\"");
    put_bytes(&a, stored.data, stored.len);
    put(&a, "\"");
    return answer(&a);
  }
  if (bytes_eq(variant, "handled_count")) {
    put(&a, "\"");
    if (storage_get("count", &stored)) put_bytes(&a, stored.data, stored.len);
    put(&a, "\"");
    return answer(&a);
  }
  if (bytes_eq(variant, "trigger_data")) {
    u64 id;
    if (!json_u64_field(msg, "\"trigger_id\"", &id))
      return error_result("trigger_data: expected {\"trigger_id\": \"<n>\"}");
    Buf key = {0};
    put(&key, "t:");
    put_u64(&key, id);
    if (storage_get_b(&key, &stored)) put_bytes(&a, stored.data, stored.len);
    else put(&a, "null");
    return answer(&a);
  }
  return error_result("unknown query: expected wavs_service_manager, trigger_data or handled_count");
}
