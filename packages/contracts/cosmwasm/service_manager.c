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
 *   {"wavs_validate": {"envelope": "<base64>", "signature_data": {"signers", "signatures",
 *     "reference_block"}}}                                        -> "ok" or {"err": ...}
 *
 * wavs_validate makes the checks of our Solidity manager: signers strictly ascending, each
 * signature 65 bytes (r, s low, v 27/28) recovering over the EIP-191 digest of
 * keccak256(envelope bytes) to its signer, weights as of the reference block (each signing
 * key keeps a history of (height, weight): rotating a key zeroes the old one from that
 * height), and the weight of the signers at least ceil(total * numerator / denominator).
 * Weights are decimal strings up to 10^12, quorum terms up to 10^9 (the spec's Uint256,
 * bounded so u64 arithmetic cannot overflow).
 */
#include "cw.h"
#include "keccak.h"

#define MAX_WEIGHT 1000000000000ULL
#define MAX_QUORUM_TERM 1000000000ULL
#define MAX_SIGNERS 256

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


static int quorum_valid(Bytes num, Bytes den) {
  if (!is_decimal(num) || !is_decimal(den)) return 0;
  u64 n = parse_u64(num), d = parse_u64(den);
  return n > 0 && d > 0 && n <= d && d <= MAX_QUORUM_TERM;
}

/* The block height of the `env` argument. */
static u64 block_height(u32 env_region) {
  u64 h = 0;
  json_u64_field(bytes_of(env_region), "\"height\"", &h);
  return h;
}

/*
 * A history of (height, value) entries, 16 bytes each, oldest first, under `key`. A change in
 * the block of the last entry replaces it.
 */
static void history_push(Buf *key, u64 height, u64 value) {
  Bytes old = {0, 0};
  storage_get_b(key, &old);
  Buf next = {0};
  u32 keep = old.len;
  if (keep >= 16) {
    u64 last = 0;
    for (u32 b = 0; b < 8; b++) last |= (u64)old.data[keep - 16 + b] << (8 * b);
    if (last == height) keep -= 16;
  }
  put_bytes(&next, old.data, keep);
  u8 entry[16];
  for (u32 b = 0; b < 8; b++) {
    entry[b] = (u8)(height >> (8 * b));
    entry[8 + b] = (u8)(value >> (8 * b));
  }
  put_bytes(&next, entry, 16);
  storage_set_b(key, next.data, next.len);
}

/* The value of the newest entry at or below `height` (0 before the first). */
static u64 history_at(Buf *key, u64 height) {
  Bytes h;
  if (!storage_get_b(key, &h)) return 0;
  for (u32 at = h.len; at >= 16; at -= 16) {
    u64 entry_height = 0, value = 0;
    for (u32 b = 0; b < 8; b++) {
      entry_height |= (u64)h.data[at - 16 + b] << (8 * b);
      value |= (u64)h.data[at - 8 + b] << (8 * b);
    }
    if (entry_height <= height) return value;
  }
  return 0;
}

static u64 history_latest(Buf *key) { return history_at(key, ~0ULL); }

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
  event_end(&e);
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
  event_end(&e);
  return ok_response(&e);
}

static u32 set_signing_key(Bytes msg, u64 height) {
  Bytes op_in, key_in, weight_in;
  u8 op[42], key[42];
  if (!json_string_field(msg, "\"operator\"", &op_in) || !evm_address(op_in, op) ||
      !json_string_field(msg, "\"signing_key\"", &key_in) || !evm_address(key_in, key) ||
      !json_string_field(msg, "\"weight\"", &weight_in) || !is_decimal(weight_in) ||
      parse_u64(weight_in) > MAX_WEIGHT)
    return error_result("set_signing_key: expected {\"operator\": \"0x<40 hex>\", \"signing_key\": \"0x<40 hex>\", \"weight\": \"<decimal up to 10^12>\"}");
  u64 weight = parse_u64(weight_in);
  Buf key_op = {0}, op_key = {0}, op_weight = {0}, key_hist = {0}, total = {0};
  key_with(&key_op, "sk:", key, 42);
  key_with(&op_key, "ok:", op, 42);
  key_with(&op_weight, "w:", op, 42);
  key_with(&key_hist, "kh:", key, 42);
  put(&total, "total");
  Bytes holder, current, old_weight;
  if (storage_get_b(&key_op, &holder) && holder.len == 42) {
    Bytes mine = {op, 42};
    if (!bytes_same(holder, mine)) return error_result("set_signing_key: the signing key is another operator's");
  }
  u64 before = storage_get_b(&op_weight, &old_weight) ? parse_u64(old_weight) : 0;
  if (storage_get_b(&op_key, &current) && current.len == 42) {
    Bytes next_key = {key, 42};
    if (!bytes_same(current, next_key)) {
      // rotation: the old key counts nothing from this block on, and no longer names the operator
      Buf old_hist = {0}, old_op = {0};
      key_with(&old_hist, "kh:", current.data, 42);
      key_with(&old_op, "sk:", current.data, 42);
      history_push(&old_hist, height, 0);
      storage_set_b(&old_op, (const u8 *)"", 0);
    }
  }
  history_push(&key_hist, height, weight);
  history_push(&total, height, history_latest(&total) - before + weight);
  storage_set_b(&key_op, op, 42);
  storage_set_b(&op_key, key, 42);
  storage_set_b(&op_weight, weight_in.data, weight_in.len);
  Buf e = {0};
  event_start(&e, "wavs-signing-key-set");
  event_attr(&e, 1, "operator", op, 42);
  event_attr(&e, 0, "signing-key", key, 42);
  event_attr(&e, 0, "weight", weight_in.data, weight_in.len);
  event_end(&e);
  return ok_response(&e);
}

EXPORT(execute) u32 execute(u32 env, u32 info, u32 msg_region) {
  Bytes msg = bytes_of(msg_region), variant;
  if (!first_key(msg, &variant)) return error_result("expected a JSON object message");
  int known = bytes_eq(variant, "wavs_set_service_uri") ||
              bytes_eq(variant, "wavs_set_quorum_threshold") || bytes_eq(variant, "set_signing_key");
  if (!known)
    return error_result("unknown message: expected wavs_set_service_uri, wavs_set_quorum_threshold or set_signing_key");
  if (!is_admin(info)) return error_result("unauthorized: only the admin (the instantiator) may change the manager");
  if (bytes_eq(variant, "wavs_set_service_uri")) return set_service_uri(msg);
  if (bytes_eq(variant, "wavs_set_quorum_threshold")) return set_quorum_threshold(msg);
  return set_signing_key(msg, block_height(env));
}


/* {"err": <json>} as a query answer. */
static u32 validate_err(const char *json) {
  Buf a = {0};
  put(&a, "{\"err\":");
  put(&a, json);
  put(&a, "}");
  return answer(&a);
}

/* secp256k1 group order / 2: a larger s is the malleable twin of a valid signature. */
static const u8 HALF_ORDER[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                  0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

/* The EVM address (lowercase 0x hex, 42 bytes) a 65-byte signature recovers to, or 0. */
static int recover_address(const u8 digest[32], const u8 sig[65], u8 out[42]) {
  u8 v = sig[64];
  if (v >= 27) v = (u8)(v - 27);
  if (v > 1) return 0;
  for (u32 i = 0; i < 32; i++) {
    if (sig[32 + i] < HALF_ORDER[i]) break;
    if (sig[32 + i] > HALF_ORDER[i]) return 0;
  }
  u64 got = secp256k1_recover_pubkey(region_of(digest, 32), region_of(sig, 64), v);
  if (got >> 32) return 0;
  Bytes pubkey = bytes_of((u32)got);
  if (pubkey.len != 65) return 0;
  u8 hash[32];
  keccak256(pubkey.data + 1, 64, hash);
  Buf hex = {0};
  put(&hex, "0x");
  put_hex(&hex, hash + 12, 20);
  memcpy(out, hex.data, 42);
  return 1;
}

static u32 validate(Bytes msg, u64 height) {
  Bytes envelope_b64, envelope, signers, signatures, signer, signature;
  u64 reference;
  if (!json_string_field(msg, "\"envelope\"", &envelope_b64) || !base64_decode(envelope_b64, &envelope) ||
      !json_array_field(msg, "\"signers\"", &signers) ||
      !json_array_field(msg, "\"signatures\"", &signatures) ||
      !json_u64_field(msg, "\"reference_block\"", &reference))
    return error_result("wavs_validate: expected {\"envelope\": \"<base64>\", \"signature_data\": {\"signers\": [..], \"signatures\": [..], \"reference_block\": n}}");
  // the signers, lowercased, and their signatures, in order
  static u8 addrs[MAX_SIGNERS][42];
  static u8 sigs[MAX_SIGNERS][65];
  u32 count = 0, sig_count = 0;
  int bad_length = 0;
  while (next_string(&signers, &signer)) {
    if (count == MAX_SIGNERS) return error_result("wavs_validate: more than 256 signers");
    if (!evm_address(signer, addrs[count])) return validate_err("{\"invalid_signature\":\"a signer is not a 0x address\"}");
    count++;
  }
  while (next_string(&signatures, &signature)) {
    if (sig_count == MAX_SIGNERS) return error_result("wavs_validate: more than 256 signatures");
    if (hex_decode(signature, sigs[sig_count], 65) != 65) bad_length = 1;
    sig_count++;
  }
  if (count == 0 && sig_count == 0) return validate_err("\"insufficient_quorum_zero\"");
  if (count != sig_count || bad_length) return validate_err("\"invalid_signature_length\"");
  if (reference >= height) return validate_err("\"invalid_signature_block\"");
  for (u32 i = 1; i < count; i++) {
    Bytes prev = {addrs[i - 1], 42}, cur = {addrs[i], 42};
    int ascending = 0;
    for (u32 b = 0; b < 42; b++) {
      if (cur.data[b] != prev.data[b]) {
        ascending = cur.data[b] > prev.data[b];
        break;
      }
    }
    if (!ascending) return validate_err("\"invalid_signature_order\"");
  }
  // EIP-191 digest of keccak256(abi.encode(envelope)): the envelope bytes are that encoding
  u8 prefixed[60];
  const char *prefix = "\x19" "Ethereum Signed Message:\n32";
  for (u32 i = 0; i < 28; i++) prefixed[i] = (u8)prefix[i];
  keccak256(envelope.data, envelope.len, prefixed + 28);
  u8 digest[32];
  keccak256(prefixed, 60, digest);
  u64 signer_weight = 0;
  for (u32 i = 0; i < count; i++) {
    u8 recovered[42];
    Bytes want = {addrs[i], 42};
    if (!recover_address(digest, sigs[i], recovered)) {
      return validate_err("{\"invalid_signature\":\"a signature does not recover\"}");
    }
    Bytes got = {recovered, 42};
    if (!bytes_same(got, want)) {
      Buf err = {0};
      put(&err, "{\"invalid_signature\":\"signature ");
      put_u64(&err, i);
      put(&err, " recovers to ");
      put_bytes(&err, recovered, 42);
      put(&err, ", not to its signer ");
      put_bytes(&err, addrs[i], 42);
      put(&err, "\"}");
      return validate_err(cstr(&err));
    }
    Buf key = {0};
    key_with(&key, "kh:", addrs[i], 42);
    signer_weight += history_at(&key, reference);
  }
  Buf total_key = {0};
  put(&total_key, "total");
  u64 total = history_at(&total_key, reference);
  if (total == 0) return validate_err("\"insufficient_quorum_zero\"");
  Bytes num_s, den_s;
  storage_get("qn", &num_s);
  storage_get("qd", &den_s);
  u64 num = parse_u64(num_s), den = parse_u64(den_s);
  // ceil(total * num / den) without overflow: total = q * den + r, with r * num < 10^18
  u64 q = total / den, r = total % den;
  u64 threshold = q * num + (r * num + den - 1) / den;
  if (signer_weight == 0 || signer_weight < threshold) {
    Buf err = {0};
    put(&err, "{\"insufficient_quorum\":{\"signer_weight\":\"");
    put_u64(&err, signer_weight);
    put(&err, "\",\"threshold_weight\":\"");
    put_u64(&err, threshold);
    put(&err, "\",\"total_weight\":\"");
    put_u64(&err, total);
    put(&err, "\"}}");
    return validate_err(cstr(&err));
  }
  Buf ok = {0};
  put(&ok, "\"ok\"");
  return answer(&ok);
}

EXPORT(query) u32 query(u32 env, u32 msg_region) {
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
    if (storage_get_b(&key, &stored) && stored.len == 42) {
      put(&a, "\"");
      put_bytes(&a, stored.data, stored.len);
      put(&a, "\"");
    } else {
      put(&a, "null");
    }
    return answer(&a);
  }
  if (bytes_eq(variant, "wavs_validate")) return validate(msg, block_height(env));
  return error_result("unknown query: expected wavs_service_uri, wavs_operator_weight, wavs_latest_operator_for_signing_key, wavs_quorum_threshold or wavs_validate");
}
