/*
 * A WAVS service manager for Cosmos chains, answering the messages of the WAVS spec
 * (../../../shared/spec/cosmos.md is the source of the shapes):
 *
 * instantiate {} or {"service_uri": "..", "quorum_numerator": "2", "quorum_denominator": "3"}
 *   The sender becomes the admin, the only account allowed to execute changes.
 * execute
 *   {"wavs_set_service_uri": {"service_uri": ".."}}              event wavs-service-uri-updated
 *   {"wavs_set_quorum_threshold": {"numerator": "..", "denominator": ".."}}
 *                                                                event wavs-quorum-threshold-updated
 *   {"set_signing_key": {"operator": "0x..", "signing_key": "0x..", "weight": ".."}}
 *                                                                (as WAVS's own mock manager)
 * query
 *   {"wavs_service_uri": {}}                                      -> "<uri>"
 *   {"wavs_operator_weight": {"operator_address": "0x.."}}        -> "<weight>" ("0" if unknown)
 *   {"wavs_latest_operator_for_signing_key": {"signing_key_addr": "0x.."}} -> "0x.." or null
 *   {"wavs_quorum_threshold": {}}                                 -> {"numerator", "denominator"}
 *   {"wavs_validate": {...}}                                      -> an error: signature
 *                                                                   validation comes later
 * Weights are decimal strings up to 19 digits (the spec's Uint256, within u64 here).
 */
#include "cw.h"

/* A 0x-prefixed 20-byte hex address, lowercased into `out` (42 bytes). */
static int evm_address(Bytes s, u8 *out) {
  if (s.len != 42 || s.data[0] != '0' || (s.data[1] != 'x' && s.data[1] != 'X')) return 0;
  out[0] = '0';
  out[1] = 'x';
  for (u32 i = 2; i < 42; i++) {
    u8 c = s.data[i];
    if (c >= 'A' && c <= 'F') c = (u8)(c + 32);
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    out[i] = c;
  }
  return 1;
}

static void key_with(Buf *key, const char *prefix, const u8 *value, u32 len) {
  put(key, prefix);
  put_bytes(key, value, len);
}

static u32 ok_response(Buf *events) {
  Buf b = {0};
  put(&b, "{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[");
  if (events) put_bytes(&b, events->data, events->len);
  put(&b, "],\"data\":null}}");
  return out_region(&b);
}

static void event_start(Buf *e, const char *type) {
  if (e->len) put(e, ",");
  put(e, "{\"type\":\"");
  put(e, type);
  put(e, "\",\"attributes\":[");
}
/* An attribute whose value is already a JSON string body (escapes kept as received). */
static void event_attr(Buf *e, int first, const char *key, const u8 *value, u32 len) {
  if (!first) put(e, ",");
  put(e, "{\"key\":\"");
  put(e, key);
  put(e, "\",\"value\":\"");
  put_bytes(e, value, len);
  put(e, "\"}");
}

static int quorum_valid(Bytes num, Bytes den) {
  if (!is_decimal(num) || !is_decimal(den)) return 0;
  u64 n = parse_u64(num), d = parse_u64(den);
  return n > 0 && d > 0 && n <= d;
}

static int is_admin(u32 info_region) {
  Bytes info = bytes_of(info_region), sender, admin;
  if (!json_string_field(info, "\"sender\"", &sender)) return 0;
  if (!storage_get("admin", &admin)) return 0;
  return bytes_same(sender, admin);
}

EXPORT(instantiate) u32 instantiate(u32 env, u32 info_region, u32 msg_region) {
  (void)env;
  Bytes info = bytes_of(info_region), msg = bytes_of(msg_region), sender, uri, num, den;
  if (!json_string_field(info, "\"sender\"", &sender)) return error_result("no sender in info");
  storage_set("admin", sender.data, sender.len);
  if (json_string_field(msg, "\"service_uri\"", &uri)) storage_set("uri", uri.data, uri.len);
  else storage_set("uri", (const u8 *)"", 0);
  int has_num = json_string_field(msg, "\"quorum_numerator\"", &num);
  int has_den = json_string_field(msg, "\"quorum_denominator\"", &den);
  if (has_num || has_den) {
    if (!has_num || !has_den || !quorum_valid(num, den))
      return error_result("invalid_quorum_parameters: expected 0 < quorum_numerator <= quorum_denominator");
    storage_set("qn", num.data, num.len);
    storage_set("qd", den.data, den.len);
  } else {
    storage_set("qn", (const u8 *)"2", 1);
    storage_set("qd", (const u8 *)"3", 1);
  }
  storage_set("total", (const u8 *)"0", 1);
  return ok_response(0);
}

static u32 set_service_uri(Bytes msg) {
  Bytes uri;
  if (!json_string_field(msg, "\"service_uri\"", &uri))
    return error_result("wavs_set_service_uri: expected {\"service_uri\": \"...\"}");
  storage_set("uri", uri.data, uri.len);
  Buf e = {0};
  event_start(&e, "wavs-service-uri-updated");
  event_attr(&e, 1, "service-uri", uri.data, uri.len);
  put(&e, "]}");
  return ok_response(&e);
}

static u32 set_quorum_threshold(Bytes msg) {
  Bytes num, den;
  if (!json_string_field(msg, "\"numerator\"", &num) ||
      !json_string_field(msg, "\"denominator\"", &den) || !quorum_valid(num, den))
    return error_result("invalid_quorum_parameters: expected decimal strings with 0 < numerator <= denominator");
  storage_set("qn", num.data, num.len);
  storage_set("qd", den.data, den.len);
  Buf e = {0};
  event_start(&e, "wavs-quorum-threshold-updated");
  event_attr(&e, 1, "numerator", num.data, num.len);
  event_attr(&e, 0, "denominator", den.data, den.len);
  put(&e, "]}");
  return ok_response(&e);
}

static u32 set_signing_key(Bytes msg) {
  Bytes op_in, key_in, weight;
  u8 op[42], key[42];
  if (!json_string_field(msg, "\"operator\"", &op_in) || !evm_address(op_in, op) ||
      !json_string_field(msg, "\"signing_key\"", &key_in) || !evm_address(key_in, key) ||
      !json_string_field(msg, "\"weight\"", &weight) || !is_decimal(weight))
    return error_result("set_signing_key: expected {\"operator\": \"0x<40 hex>\", \"signing_key\": \"0x<40 hex>\", \"weight\": \"<decimal>\"}");
  Buf wkey = {0}, skey = {0};
  key_with(&wkey, "w:", op, 42);
  key_with(&skey, "sk:", key, 42);
  Bytes old, total;
  u64 before = storage_get_b(&wkey, &old) ? parse_u64(old) : 0;
  u64 sum = storage_get("total", &total) ? parse_u64(total) : 0;
  sum = sum - before + parse_u64(weight);
  Buf t = {0};
  put_u64(&t, sum);
  storage_set("total", t.data, t.len);
  storage_set_b(&wkey, weight.data, weight.len);
  storage_set_b(&skey, op, 42);
  Buf e = {0};
  event_start(&e, "wavs-signing-key-set");
  event_attr(&e, 1, "operator", op, 42);
  event_attr(&e, 0, "signing-key", key, 42);
  event_attr(&e, 0, "weight", weight.data, weight.len);
  put(&e, "]}");
  return ok_response(&e);
}

EXPORT(execute) u32 execute(u32 env, u32 info, u32 msg_region) {
  (void)env;
  Bytes msg = bytes_of(msg_region), variant;
  if (!first_key(msg, &variant)) return error_result("expected a JSON object message");
  int known = bytes_eq(variant, "wavs_set_service_uri") ||
              bytes_eq(variant, "wavs_set_quorum_threshold") || bytes_eq(variant, "set_signing_key");
  if (!known)
    return error_result("unknown message: expected wavs_set_service_uri, wavs_set_quorum_threshold or set_signing_key");
  if (!is_admin(info)) return error_result("unauthorized: only the admin (the instantiator) may change the manager");
  if (bytes_eq(variant, "wavs_set_service_uri")) return set_service_uri(msg);
  if (bytes_eq(variant, "wavs_set_quorum_threshold")) return set_quorum_threshold(msg);
  return set_signing_key(msg);
}

static u32 answer(Buf *json) {
  Buf b = {0};
  put(&b, "{\"ok\":\"");
  put_base64(&b, json->data, json->len);
  put(&b, "\"}");
  return out_region(&b);
}

EXPORT(query) u32 query(u32 env, u32 msg_region) {
  (void)env;
  Bytes msg = bytes_of(msg_region), variant, stored, field;
  u8 addr[42];
  Buf a = {0};
  if (!first_key(msg, &variant)) return error_result("expected a JSON object query");
  if (bytes_eq(variant, "wavs_service_uri")) {
    put(&a, "\"");
    if (storage_get("uri", &stored)) put_bytes(&a, stored.data, stored.len);
    put(&a, "\"");
    return answer(&a);
  }
  if (bytes_eq(variant, "wavs_quorum_threshold")) {
    Bytes num, den;
    if (!storage_get("qn", &num) || !storage_get("qd", &den)) return error_result("not instantiated");
    put(&a, "{\"numerator\":\"");
    put_bytes(&a, num.data, num.len);
    put(&a, "\",\"denominator\":\"");
    put_bytes(&a, den.data, den.len);
    put(&a, "\"}");
    return answer(&a);
  }
  if (bytes_eq(variant, "wavs_operator_weight")) {
    if (!json_string_field(msg, "\"operator_address\"", &field) || !evm_address(field, addr))
      return error_result("wavs_operator_weight: expected {\"operator_address\": \"0x<40 hex>\"}");
    Buf key = {0};
    key_with(&key, "w:", addr, 42);
    put(&a, "\"");
    if (storage_get_b(&key, &stored)) put_bytes(&a, stored.data, stored.len);
    else put(&a, "0");
    put(&a, "\"");
    return answer(&a);
  }
  if (bytes_eq(variant, "wavs_latest_operator_for_signing_key")) {
    if (!json_string_field(msg, "\"signing_key_addr\"", &field) || !evm_address(field, addr))
      return error_result("wavs_latest_operator_for_signing_key: expected {\"signing_key_addr\": \"0x<40 hex>\"}");
    Buf key = {0};
    key_with(&key, "sk:", addr, 42);
    if (storage_get_b(&key, &stored)) {
      put(&a, "\"");
      put_bytes(&a, stored.data, stored.len);
      put(&a, "\"");
    } else {
      put(&a, "null");
    }
    return answer(&a);
  }
  if (bytes_eq(variant, "wavs_validate"))
    return error_result("wavs_validate: signature validation is not built in this manager yet");
  return error_result("unknown query: expected wavs_service_uri, wavs_operator_weight, wavs_latest_operator_for_signing_key, wavs_quorum_threshold or wavs_validate");
}
