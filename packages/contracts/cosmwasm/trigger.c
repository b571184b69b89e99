/*
 * The Cosmos trigger contract of the examples and tests: `{"add_message":{"data":"<hex>"}}`
 * numbers the message and emits a `new-message` event (the chain shows it as
 * `wasm-new-message`) with attributes `id` (decimal, from 1) and `data` (the hex as given),
 * the shape of WAVS's own simple Cosmos trigger. Query `{"count":{}}` answers the number of
 * messages so far.
 */
#include "cw.h"

EXPORT(instantiate) u32 instantiate(u32 env, u32 info, u32 msg) {
  (void)env;
  (void)info;
  (void)msg;
  storage_set("count", (const u8 *)"0", 1);
  return ok_response(0);
}

static int is_hex(Bytes s) {
  if (s.len == 0 || s.len % 2) return 0;
  for (u32 i = 0; i < s.len; i++) {
    u8 c = s.data[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return 0;
  }
  return 1;
}

EXPORT(execute) u32 execute(u32 env, u32 info, u32 msg_region) {
  (void)env;
  (void)info;
  Bytes msg = bytes_of(msg_region);
  if (find(msg, "\"add_message\"") < 0) return error_result("unknown message: expected add_message");
  Bytes data;
  if (!json_string_field(msg, "\"data\"", &data) || !is_hex(data))
    return error_result("add_message.data must be a non-empty hex string without 0x");
  Buf id = {0};
  storage_increment("count", &id);
  Buf e = {0};
  event_start(&e, "new-message");
  event_attr(&e, 1, "id", id.data, id.len);
  event_attr(&e, 0, "data", data.data, data.len);
  event_end(&e);
  return ok_response(&e);
}

EXPORT(query) u32 query(u32 env, u32 msg_region) {
  (void)env;
  Bytes msg = bytes_of(msg_region);
  if (find(msg, "\"count\"") < 0) return error_result("unknown query: expected count");
  Bytes stored;
  Buf value = {0};
  if (storage_get("count", &stored)) put_bytes(&value, stored.data, stored.len);
  else put(&value, "0");
  return answer(&value);
}
