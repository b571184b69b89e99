/*
 * keccak256 (the original Keccak padding, as Ethereum uses it), for the CosmWasm contracts:
 * the VM offers secp256k1 recovery but no keccak. Keccak-f[1600] on 64-bit lanes, rate 136.
 */
#ifndef KECCAK_H
#define KECCAK_H
#include "cw.h"

static const u64 KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
/* rho offsets and pi lane order, walked together from lane 1 */
static const u32 KECCAK_ROT[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                   27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const u32 KECCAK_PI[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                  15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static u64 rotl64(u64 x, u32 n) { return (x << n) | (x >> (64 - n)); }

static void keccak_f(u64 st[25]) {
  u64 bc[5];
  for (u32 round = 0; round < 24; round++) {
    for (u32 i = 0; i < 5; i++) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (u32 i = 0; i < 5; i++) {
      u64 t = bc[(i + 4) % 5] ^ rotl64(bc[(i + 1) % 5], 1);
      for (u32 j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    u64 t = st[1];
    for (u32 i = 0; i < 24; i++) {
      u32 j = KECCAK_PI[i];
      u64 next = st[j];
      st[j] = rotl64(t, KECCAK_ROT[i]);
      t = next;
    }
    for (u32 j = 0; j < 25; j += 5) {
      for (u32 i = 0; i < 5; i++) bc[i] = st[j + i];
      for (u32 i = 0; i < 5; i++) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    st[0] ^= KECCAK_RC[round];
  }
}

/* keccak256 of `len` bytes into `out` (32 bytes). */
static void keccak256(const u8 *data, u32 len, u8 *out) {
  u64 st[25];
  for (u32 i = 0; i < 25; i++) st[i] = 0;
  const u32 rate = 136;
  u8 block[136];
  for (;;) {
    u32 take = len < rate ? len : rate;
    for (u32 i = 0; i < rate; i++) block[i] = i < take ? data[i] : 0;
    if (take < rate) {
      block[take] ^= 0x01;
      block[rate - 1] ^= 0x80;
    }
    for (u32 i = 0; i < rate / 8; i++) {
      u64 lane = 0;
      for (u32 b = 0; b < 8; b++) lane |= (u64)block[i * 8 + b] << (8 * b);
      st[i] ^= lane;
    }
    keccak_f(st);
    if (take < rate) break;
    data += rate;
    len -= rate;
  }
  for (u32 i = 0; i < 32; i++) out[i] = (u8)(st[i / 8] >> (8 * (i % 8)));
}

#endif
