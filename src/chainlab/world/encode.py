"""Vectorised encodings for millions of rows: hex hashes and address strings with valid checksums.

`chainlab.addresses` encodes one address at a time for learners; the world needs a million at once,
so this module computes the same Base58Check, bech32/bech32m and EIP-55 strings with numpy.
The tests compare every encoder here with `chainlab.addresses`.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
from Crypto.Hash import keccak

HEX_DIGITS = np.frombuffer(b"0123456789abcdef", np.uint8)
BASE58_DIGITS = np.frombuffer(b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", np.uint8)
BECH32_DIGITS = np.frombuffer(b"qpzry9x8gf2tvdw0s3jn54khce6mua7l", np.uint8)
BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
BECH32M_CONSTANT = 0x2BC830A3
MAINNET_HRP_EXPANDED = (3, 3, 0, 2, 3)  # bech32 "hrp expand" of "bc"


def strings_from_matrix(chars: np.ndarray, lengths: np.ndarray | None = None) -> pa.Array:
    """An Arrow string array from a matrix of ASCII codes, one row per string (rows cut to `lengths`)."""
    rows, width = chars.shape
    if lengths is None:
        data = np.ascontiguousarray(chars, dtype=np.uint8).reshape(-1)
        offsets = np.arange(rows + 1, dtype=np.int64) * width
    else:
        keep = np.arange(width)[None, :] >= (width - lengths)[:, None]
        data = chars[keep]
        offsets = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(pa.large_string(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)]).cast(
        pa.string()
    )


def hex_strings(raw: np.ndarray) -> pa.Array:
    """Lower-case hex text for each row of a uint8 matrix (e.g. 32 random bytes -> a 64-digit hash)."""
    chars = np.empty((raw.shape[0], raw.shape[1] * 2), np.uint8)
    chars[:, 0::2] = HEX_DIGITS[raw >> 4]
    chars[:, 1::2] = HEX_DIGITS[raw & 15]
    return strings_from_matrix(chars)


def segwit(programs: np.ndarray, version: int) -> pa.Array:
    """Mainnet segwit addresses: version 0 gives bech32 (bc1q...), version 1 bech32m (bc1p...)."""
    rows = programs.shape[0]
    groups = _five_bit_groups(programs)
    width = groups.shape[1]
    constant = 1 if version == 0 else BECH32M_CONSTANT
    start = _bech32_polymod(np.array([[*MAINNET_HRP_EXPANDED, version]], np.uint8))[0]  # the same for every row
    residue = _bech32_polymod(groups, start, zeros=6) ^ np.uint32(constant)
    chars = np.empty((rows, 4 + width + 6), np.uint8)
    chars[:, :3] = np.frombuffer(b"bc1", np.uint8)
    chars[:, 3] = BECH32_DIGITS[version]
    chars[:, 4 : 4 + width] = BECH32_DIGITS[groups]
    for i in range(6):
        chars[:, 4 + width + i] = BECH32_DIGITS[(residue >> np.uint32(5 * (5 - i))) & np.uint32(31)]
    return strings_from_matrix(chars)


def _five_bit_groups(programs: np.ndarray) -> np.ndarray:
    """Each row's bytes regrouped as 5-bit values, most significant first, the last one padded with zero bits."""
    rows, size = programs.shape
    padded = np.zeros((rows, -(-size // 5), 5), np.uint8)
    padded.reshape(rows, padded.shape[1] * 5)[:, :size] = programs
    blocks = padded.astype(np.uint64)  # 5 bytes = 40 bits = 8 groups
    word = blocks[:, :, 0] << np.uint64(32)
    for byte in range(1, 5):
        word |= blocks[:, :, byte] << np.uint64(32 - 8 * byte)
    groups = np.empty((rows, blocks.shape[1], 8), np.uint8)
    for i in range(8):
        groups[:, :, i] = (word >> np.uint64(35 - 5 * i)) & np.uint64(31)
    return groups.reshape(rows, groups.shape[1] * 8)[:, : -(-size * 8 // 5)]


# BECH32_TABLE[top] is the XOR of the generators picked by the five low bits of `top` (the value shifted out).
BECH32_TABLE = np.array(
    [np.bitwise_xor.reduce([g for i, g in enumerate(BECH32_GENERATOR) if top >> i & 1] or [0]) for top in range(128)],
    np.uint32,
)


def _bech32_polymod(values: np.ndarray, start=1, zeros: int = 0) -> np.ndarray:
    """BIP 173's checksum function over each row of values then `zeros` zero values, from `start` (1, or the state
    after a prefix that every row shares)."""
    checksum = np.full(values.shape[0], start, np.uint32)
    columns = [*values.T.astype(np.uint32, copy=False), *[None] * zeros]
    for column in columns:
        top = (checksum >> np.uint32(25)).astype(np.intp)
        checksum &= np.uint32(0x1FFFFFF)
        checksum <<= np.uint32(5)
        if column is not None:
            checksum ^= column
        checksum ^= BECH32_TABLE[top]
    return checksum


def base58check(version: int, hashes: np.ndarray) -> pa.Array:
    """Base58Check addresses for 20-byte hashes: version 0x00 gives P2PKH (1...), 0x05 gives P2SH (3...)."""
    rows = hashes.shape[0]
    payload = np.concatenate([np.full((rows, 1), version, np.uint8), hashes], axis=1)
    flat, sha256 = memoryview(payload.tobytes()), hashlib.sha256
    checks = b"".join(sha256(sha256(flat[i : i + 21]).digest()).digest()[:4] for i in range(0, rows * 21, 21))
    full = np.concatenate([payload, np.frombuffer(checks, np.uint8).reshape(rows, 4)], axis=1)  # 25 bytes
    limbs = (
        np.concatenate([np.zeros((rows, 3), np.uint8), full], axis=1).view(">u4").T.astype(np.uint64, order="C")
    )  # 7 x 32 bits
    chunk = np.uint64(58**5)
    digits = np.empty((35, rows), np.uint8)
    for step in range(7):  # 7 chunks of 5 base-58 digits each cover 200 bits
        # After `step` divisions by 58**5 the number fits in fewer limbs: the leading ones are 0 and stay 0.
        largest = (2**200 - 1) // 58 ** (5 * step)
        remainder = np.zeros(rows, np.uint64)
        for j in range(7 - max(1, -(-largest.bit_length() // 32)), 7):
            limbs[j], remainder = np.divmod((remainder << np.uint64(32)) | limbs[j], chunk)
        remainder = remainder.astype(np.uint32)  # below 58**5 < 2**32
        for k in range(5):
            remainder, digits[34 - step * 5 - k] = np.divmod(remainder, np.uint32(58))
    digits = digits.T
    significant = 35 - _leading_zeros(digits)
    zero_bytes = _leading_zeros(full)
    # Zero digits and the left padding both read '1', and Base58Check writes one '1' per leading zero byte,
    # so each address is the right-most (zero bytes + significant digits) characters.
    padding = np.full((rows, int(zero_bytes.max())), ord("1"), np.uint8)
    chars = np.concatenate([padding, BASE58_DIGITS[digits]], axis=1)
    return strings_from_matrix(chars, zero_bytes + significant)


def _leading_zeros(matrix: np.ndarray) -> np.ndarray:
    nonzero = matrix != 0
    first = np.argmax(nonzero, axis=1)
    return np.where(nonzero.any(axis=1), first, matrix.shape[1])


def eip55(accounts: np.ndarray) -> pa.Array:
    """EIP-55 checksummed Ethereum addresses (0x + 40 mixed-case hex digits) for 20-byte account ids."""
    rows = accounts.shape[0]
    lower = np.empty((rows, 40), np.uint8)
    lower[:, 0::2] = HEX_DIGITS[accounts >> 4]
    lower[:, 1::2] = HEX_DIGITS[accounts & 15]
    flat = lower.tobytes()
    digests = np.frombuffer(
        b"".join(keccak.new(digest_bits=256, data=flat[i : i + 40]).digest() for i in range(0, rows * 40, 40)), np.uint8
    ).reshape(rows, 32)
    nibbles = np.empty((rows, 64), np.uint8)
    nibbles[:, 0::2] = digests >> 4
    nibbles[:, 1::2] = digests & 15
    upper = (lower >= ord("a")) & (nibbles[:, :40] >= 8)
    cased = np.where(upper, lower - 32, lower).astype(np.uint8)
    prefix = np.tile(np.frombuffer(b"0x", np.uint8), (rows, 1))
    return strings_from_matrix(np.concatenate([prefix, cased], axis=1))


SECP256K1_P = 2**256 - 2**32 - 977
SECP256K1_BETA = 0x7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE  # a cube root of 1 mod p


def xonly_keys(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct valid x-only secp256k1 public keys (BIP 340) as a (count, 32) uint8 matrix.

    Two small sets of random points A and B (from random secret keys) give the points A_i + B_j and A_i - B_j; only
    their x is needed, one modular inverse serves all of them (Montgomery's trick), and each x gives two more valid
    ones, beta * x and beta^2 * x (the curve's endomorphism), so each key costs about two multiplications."""
    import coincurve

    if count == 0:
        return np.zeros((0, 32), np.uint8)
    p, beta, beta2 = SECP256K1_P, SECP256K1_BETA, SECP256K1_BETA**2 % SECP256K1_P
    needed = -(-count // 6)
    side = int(np.ceil(np.sqrt(needed)))

    def points(n):
        secrets = rng.integers(1, 256, size=(n, 32), dtype=np.uint8)  # no zero byte: never 0, below the group order
        secrets[:, 0] = np.minimum(secrets[:, 0], 0xFE)
        return [coincurve.PrivateKey(s.tobytes()).public_key.point() for s in secrets]

    a, b = points(side), points(-(-needed // side))
    pairs = [(pa_, pb) for pb in b for pa_ in a][:needed]
    dx = [(xb - xa) % p for (xa, _), (xb, _) in pairs]
    prefix, running = [], 1
    for d in dx:
        running = running * d % p
        prefix.append(running)
    inverse = pow(running, p - 2, p)
    xs = []
    for i in range(needed - 1, -1, -1):
        inv_i = inverse * (prefix[i - 1] if i else 1) % p
        inverse = inverse * dx[i] % p
        (xa, ya), (xb, yb) = pairs[i]
        plus = (yb - ya) * inv_i % p
        minus = (-yb - ya) * inv_i % p
        for x in ((plus * plus - xa - xb) % p, (minus * minus - xa - xb) % p):
            xs += (x, x * beta % p, x * beta2 % p)
    return np.frombuffer(b"".join(x.to_bytes(32, "big") for x in xs[:count]), np.uint8).reshape(count, 32)
