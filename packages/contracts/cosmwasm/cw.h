/*
 * A minimal CosmWasm runtime for contracts written in C and compiled with clang to wasm32
 * (no libc). No Rust wasm target can be installed on our machines, so the test contracts
 * are C: the VM's ABI is small (regions, a handful of imports, JSON in and out).
 *
 * ABI facts (CosmWasm 3 / wasmvm 3): the VM writes each argument into memory it gets from
 * `allocate` and passes a pointer to a Region; entry points return a Region pointer holding
 * JSON: `{"ok": Response}` / `{"error": "..."}` for instantiate and execute, and
 * `{"ok": "<base64 of the answer>"}` for query. Memory is fresh per call, so a bump
 * allocator that never frees is enough.
 */
#ifndef CW_H
#define CW_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char u8;

typedef struct {
  u32 offset;
  u32 capacity;
  u32 length;
} Region;

#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define EXPORT(name) __attribute__((export_name(#name)))

IMPORT(db_read) u32 db_read(u32 key);
IMPORT(db_write) void db_write(u32 key, u32 value);
/* (error code << 32) | region of the 65-byte uncompressed public key */
IMPORT(secp256k1_recover_pubkey) u64 secp256k1_recover_pubkey(u32 hash, u32 sig, u32 recovery);
/* a region holding the JSON SystemResult<ContractResult<Binary>> of a QueryRequest */
IMPORT(query_chain) u32 query_chain(u32 request);

extern u8 __heap_base;
static u32 heap_top;

/* clang lowers struct copies and zeroing to these */
void *memcpy(void *dst, const void *src, unsigned long n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
void *memset(void *dst, int c, unsigned long n) {
  u8 *d = dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

static void *alloc_bytes(u32 size) {
  if (heap_top == 0) heap_top = (u32)&__heap_base;
  heap_top = (heap_top + 7u) & ~7u;
  u32 start = heap_top;
  u32 end = start + size;
  u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    u32 pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1) __builtin_trap();
  }
  heap_top = end;
  return (void *)start;
}

static Region *region_new(u32 capacity) {
  Region *r = alloc_bytes(sizeof(Region));
  r->offset = (u32)alloc_bytes(capacity);
  r->capacity = capacity;
  r->length = 0;
  return r;
}

EXPORT(allocate) u32 allocate(u32 size) { return (u32)region_new(size); }
EXPORT(deallocate) void deallocate(u32 ptr) { (void)ptr; }
EXPORT(interface_version_8) void interface_version_8(void) {}

/* A growable output buffer; `out_region` hands it to the VM. */
typedef struct {
  u8 *data;
  u32 len;
  u32 cap;
} Buf;

static void buf_reserve(Buf *b, u32 more) {
  if (b->len + more <= b->cap) return;
  u32 cap = b->cap ? b->cap * 2 : 256;
  while (cap < b->len + more) cap *= 2;
  u8 *data = alloc_bytes(cap);
  memcpy(data, b->data, b->len);
  b->data = data;
  b->cap = cap;
}
static void put_bytes(Buf *b, const u8 *s, u32 n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
}
static u32 cstrlen(const char *s) {
  u32 n = 0;
  while (s[n]) n++;
  return n;
}
static void put(Buf *b, const char *s) { put_bytes(b, (const u8 *)s, cstrlen(s)); }
/* The buffer as a C string (NUL-terminated in place), for messages built piece by piece. */
static const char *cstr(Buf *b) {
  put_bytes(b, (const u8 *)"", 1);
  return (const char *)b->data;
}
static void put_u64(Buf *b, u64 v) {
  char tmp[21];
  int i = 20;
  tmp[i] = 0;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(b, tmp + i);
}
/* A JSON string body: escapes quotes, backslashes and control characters. */
static void put_json_escaped(Buf *b, const u8 *s, u32 n) {
  static const char hex[] = "0123456789abcdef";
  for (u32 i = 0; i < n; i++) {
    u8 c = s[i];
    if (c == '"' || c == '\\') {
      u8 e[2] = {'\\', c};
      put_bytes(b, e, 2);
    } else if (c < 0x20) {
      u8 e[6] = {'\\', 'u', '0', '0', (u8)hex[c >> 4], (u8)hex[c & 15]};
      put_bytes(b, e, 6);
    } else {
      put_bytes(b, &c, 1);
    }
  }
}
static void put_base64(Buf *b, const u8 *s, u32 n) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (u32 i = 0; i < n; i += 3) {
    u32 v = (u32)s[i] << 16 | (i + 1 < n ? (u32)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
    u8 o[4] = {(u8)t[v >> 18 & 63], (u8)t[v >> 12 & 63], i + 1 < n ? (u8)t[v >> 6 & 63] : '=',
               i + 2 < n ? (u8)t[v & 63] : '='};
    put_bytes(b, o, 4);
  }
}
static u32 out_region(Buf *b) {
  Region *r = alloc_bytes(sizeof(Region));
  r->offset = (u32)b->data;
  r->capacity = b->cap;
  r->length = b->len;
  return (u32)r;
}

/* An execute's or instantiate's success: `events` (JSON objects, comma-separated) or none. */
static u32 ok_response(Buf *events) {
  Buf b = {0};
  put(&b, "{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[");
  if (events) put_bytes(&b, events->data, events->len);
  put(&b, "],\"data\":null}}");
  return out_region(&b);
}

/* A query's answer: the JSON value, base64 as the VM wants it. */
static u32 answer(Buf *json) {
  Buf b = {0};
  put(&b, "{\"ok\":\"");
  put_base64(&b, json->data, json->len);
  put(&b, "\"}");
  return out_region(&b);
}

/* `{"error": msg}`: the VM turns it into a failed transaction or query with that message. */
static u32 error_result(const char *msg) {
  Buf b = {0};
  put(&b, "{\"error\":\"");
  put_json_escaped(&b, (const u8 *)msg, cstrlen(msg));
  put(&b, "\"}");
  return out_region(&b);
}

/* Input bytes of a Region the VM passed in. */
typedef struct {
  const u8 *data;
  u32 len;
} Bytes;
static Bytes bytes_of(u32 region) {
  Region *r = (Region *)region;
  Bytes out = {(const u8 *)r->offset, r->length};
  return out;
}

/* The first occurrence of `needle` in `hay`, or -1. */
static int find(Bytes hay, const char *needle) {
  u32 n = cstrlen(needle);
  if (n > hay.len) return -1;
  for (u32 i = 0; i + n <= hay.len; i++) {
    u32 j = 0;
    while (j < n && hay.data[i + j] == (u8)needle[j]) j++;
    if (j == n) return (int)i;
  }
  return -1;
}

/*
 * The string value following `"<key>":` in a JSON message, escapes left as they are (the
 * contracts only read hex and decimal strings). Whitespace after the colon is allowed.
 */
static int json_string_field(Bytes msg, const char *quoted_key, Bytes *value) {
  int at = find(msg, quoted_key);
  if (at < 0) return 0;
  u32 i = (u32)at + cstrlen(quoted_key);
  while (i < msg.len && (msg.data[i] == ' ' || msg.data[i] == '\n' || msg.data[i] == '\t')) i++;
  if (i >= msg.len || msg.data[i] != ':') return 0;
  i++;
  while (i < msg.len && (msg.data[i] == ' ' || msg.data[i] == '\n' || msg.data[i] == '\t')) i++;
  if (i >= msg.len || msg.data[i] != '"') return 0;
  u32 start = ++i;
  while (i < msg.len && msg.data[i] != '"') {
    if (msg.data[i] == '\\') i++;
    i++;
  }
  if (i >= msg.len) return 0;
  value->data = msg.data + start;
  value->len = i - start;
  return 1;
}

/* Storage of small values under C-string keys. */
static u32 region_of(const u8 *data, u32 len) {
  Region *r = alloc_bytes(sizeof(Region));
  r->offset = (u32)data;
  r->capacity = len;
  r->length = len;
  return (u32)r;
}
static int storage_get(const char *key, Bytes *value) {
  u32 got = db_read(region_of((const u8 *)key, cstrlen(key)));
  if (got == 0) return 0;
  *value = bytes_of(got);
  return 1;
}
static void storage_set(const char *key, const u8 *value, u32 len) {
  db_write(region_of((const u8 *)key, cstrlen(key)), region_of(value, len));
}
/* Storage under keys built at run time (a prefix and a value). */
static int storage_get_b(Buf *key, Bytes *value) {
  u32 got = db_read(region_of(key->data, key->len));
  if (got == 0) return 0;
  *value = bytes_of(got);
  return 1;
}
static void storage_set_b(Buf *key, const u8 *value, u32 len) {
  db_write(region_of(key->data, key->len), region_of(value, len));
}

/* The first key of a JSON object message (its variant, for enum-shaped messages). */
static int first_key(Bytes msg, Bytes *key) {
  u32 i = 0;
  while (i < msg.len && msg.data[i] != '{') i++;
  i++;
  while (i < msg.len && (msg.data[i] == ' ' || msg.data[i] == '\n' || msg.data[i] == '\t')) i++;
  if (i >= msg.len || msg.data[i] != '"') return 0;
  u32 start = ++i;
  while (i < msg.len && msg.data[i] != '"') i++;
  if (i >= msg.len) return 0;
  key->data = msg.data + start;
  key->len = i - start;
  return 1;
}
static int bytes_eq(Bytes a, const char *s) {
  u32 n = cstrlen(s);
  if (a.len != n) return 0;
  for (u32 i = 0; i < n; i++)
    if (a.data[i] != (u8)s[i]) return 0;
  return 1;
}
static int bytes_same(Bytes a, Bytes b) {
  if (a.len != b.len) return 0;
  for (u32 i = 0; i < a.len; i++)
    if (a.data[i] != b.data[i]) return 0;
  return 1;
}
/* A non-empty decimal string of at most 19 digits (fits u64 without overflow). */
static int is_decimal(Bytes s) {
  if (s.len == 0 || s.len > 19) return 0;
  for (u32 i = 0; i < s.len; i++)
    if (s.data[i] < '0' || s.data[i] > '9') return 0;
  return 1;
}

/* The contents between the brackets of the array following `"<key>":`. */
static int json_array_field(Bytes msg, const char *quoted_key, Bytes *inside) {
  int at = find(msg, quoted_key);
  if (at < 0) return 0;
  u32 i = (u32)at + cstrlen(quoted_key);
  while (i < msg.len && msg.data[i] != ':') i++;
  while (i < msg.len && msg.data[i] != '[') {
    if (msg.data[i] != ':' && msg.data[i] != ' ' && msg.data[i] != '\n') return 0;
    i++;
  }
  if (i >= msg.len) return 0;
  u32 start = ++i;
  while (i < msg.len && msg.data[i] != ']') i++;
  if (i >= msg.len) return 0;
  inside->data = msg.data + start;
  inside->len = i - start;
  return 1;
}

/* The next string of an array's contents (advancing `rest`); 0 at the end. */
static int next_string(Bytes *rest, Bytes *value) {
  u32 i = 0;
  while (i < rest->len && rest->data[i] != '"') i++;
  if (i >= rest->len) return 0;
  u32 start = ++i;
  while (i < rest->len && rest->data[i] != '"') i++;
  if (i >= rest->len) return 0;
  value->data = rest->data + start;
  value->len = i - start;
  rest->data += i + 1;
  rest->len -= i + 1;
  return 1;
}

/* The unsigned integer following `"<key>":`, bare or quoted. */
static int json_u64_field(Bytes msg, const char *quoted_key, u64 *value) {
  int at = find(msg, quoted_key);
  if (at < 0) return 0;
  u32 i = (u32)at + cstrlen(quoted_key);
  while (i < msg.len && (msg.data[i] == ':' || msg.data[i] == ' ' || msg.data[i] == '"')) i++;
  if (i >= msg.len || msg.data[i] < '0' || msg.data[i] > '9') return 0;
  u64 v = 0;
  u32 digits = 0;
  while (i < msg.len && msg.data[i] >= '0' && msg.data[i] <= '9' && digits < 19) {
    v = v * 10 + (msg.data[i++] - '0');
    digits++;
  }
  *value = v;
  return 1;
}

static int hex_digit(u8 c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Hex (0x optional) into `out` (at most `cap` bytes); the byte count, or -1 when malformed. */
static int hex_decode(Bytes s, u8 *out, u32 cap) {
  u32 i = 0;
  if (s.len >= 2 && s.data[0] == '0' && (s.data[1] == 'x' || s.data[1] == 'X')) i = 2;
  if ((s.len - i) % 2 || (s.len - i) / 2 > cap) return -1;
  u32 n = 0;
  for (; i < s.len; i += 2) {
    int hi = hex_digit(s.data[i]), lo = hex_digit(s.data[i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[n++] = (u8)(hi << 4 | lo);
  }
  return (int)n;
}

static void put_hex(Buf *b, const u8 *s, u32 n) {
  static const char digits[] = "0123456789abcdef";
  for (u32 i = 0; i < n; i++) {
    u8 pair[2] = {(u8)digits[s[i] >> 4], (u8)digits[s[i] & 15]};
    put_bytes(b, pair, 2);
  }
}

/* Standard base64 into a fresh buffer; 0 when malformed. */
static int base64_decode(Bytes s, Bytes *out) {
  u8 *data = alloc_bytes(s.len / 4 * 3 + 3);
  u32 n = 0, acc = 0, bits = 0;
  for (u32 i = 0; i < s.len; i++) {
    u8 c = s.data[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') break;
    else return 0;
    acc = acc << 6 | (u32)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      data[n++] = (u8)(acc >> bits);
    }
  }
  out->data = data;
  out->len = n;
  return 1;
}

static u64 parse_u64(Bytes s) {
  u64 v = 0;
  for (u32 i = 0; i < s.len && s.data[i] >= '0' && s.data[i] <= '9'; i++) v = v * 10 + (s.data[i] - '0');
  return v;
}

/* Add 1 to the decimal counter stored under `key` (0 when unset); `out` gets the new value. */
static void storage_increment(const char *key, Buf *out) {
  Bytes stored;
  put_u64(out, (storage_get(key, &stored) ? parse_u64(stored) : 0) + 1);
  storage_set(key, out->data, out->len);
}

/* Events for ok_response: event_start, event_attr for each attribute, event_end. */
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
static void event_end(Buf *e) { put(e, "]}"); }

#endif
