"""Address formats and their checksums: make addresses and say which check a bad one fails.

Introduced in 01_blockchain_fundamentals. The encodings come from bip-utils
(Base58Check per BIP-13, bech32 per BIP-173, bech32m per BIP-350, EIP-55);
this module only adds plain-language verdicts for learners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from bip_utils import (
    Base58ChecksumError,
    Base58Decoder,
    Base58Encoder,
    Bech32ChecksumError,
    Kekkak256,
    SegwitBech32Decoder,
    SegwitBech32Encoder,
)

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32_ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
VERSION_BYTES = {0x00: "P2PKH", 0x05: "P2SH"}
SEGWIT_LENGTHS = (42, 62)  # bc1 + a 20-byte (P2WPKH) or 32-byte (P2WSH, taproot) program + 6 checksum characters


@dataclass(frozen=True)
class AddressCheck:
    """The verdict on one address string: its format, and the first check it fails (if any)."""

    address: str
    kind: str
    valid: bool
    problem: str | None = None

    def __str__(self) -> str:
        if self.valid:
            return f"{self.address}: valid {self.kind} address"
        return f"{self.address}: NOT valid ({self.kind}): {self.problem}"


def p2pkh(pubkey_hash: bytes) -> str:
    """A legacy P2PKH address (starts with 1) for a 20-byte public-key hash."""
    return Base58Encoder.CheckEncode(b"\x00" + _twenty(pubkey_hash))


def p2sh(script_hash: bytes) -> str:
    """A P2SH address (starts with 3) for a 20-byte script hash."""
    return Base58Encoder.CheckEncode(b"\x05" + _twenty(script_hash))


def p2wpkh(pubkey_hash: bytes) -> str:
    """A native segwit v0 address (bc1q..., bech32) for a 20-byte public-key hash."""
    return SegwitBech32Encoder.Encode("bc", 0, _twenty(pubkey_hash))


def p2tr(output_key: bytes) -> str:
    """A taproot address (bc1p..., bech32m) for a 32-byte output key."""
    if len(output_key) != 32:
        raise ValueError(f"a taproot output key is 32 bytes, got {len(output_key)}")
    return SegwitBech32Encoder.Encode("bc", 1, output_key)


def eip55(account: bytes) -> str:
    """An Ethereum address with the EIP-55 mixed-case checksum for a 20-byte account id."""
    lower = _twenty(account).hex()
    digest = Kekkak256.QuickDigest(lower.encode()).hex()
    cased = "".join(c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(lower))
    return "0x" + cased


def check(address: str) -> AddressCheck:
    """Check an address string and say, in plain words, which test it fails."""
    if not isinstance(address, str):
        return AddressCheck(repr(address), "unknown", False, f"an address is text (str), not {type(address).__name__}")
    text = address.strip()
    if text.lower().startswith("0x"):
        return _check_eip55(text)
    if text.lower().startswith("bc1"):
        return _check_segwit(text)
    if text[:1] in ("1", "3"):
        return _check_base58(text)
    return AddressCheck(
        text, "unknown", False, "starts with neither 1, 3, bc1 nor 0x, so it is no Bitcoin or Ethereum address"
    )


def is_valid(address: str) -> bool:
    """True when `check(address)` finds nothing wrong."""
    return check(address).valid


def _twenty(data: bytes) -> bytes:
    if len(data) != 20:
        raise ValueError(f"expected a 20-byte hash, got {len(data)} bytes")
    return bytes(data)


def _check_base58(text: str) -> AddressCheck:
    kind = "P2PKH" if text.startswith("1") else "P2SH"
    bad = sorted({c for c in text if c not in BASE58_ALPHABET})
    if bad:
        return AddressCheck(
            text,
            kind,
            False,
            f"Base58 never uses the character(s) {', '.join(map(repr, bad))} (0, O, I and l are left out to avoid mix-ups)",
        )
    if not 26 <= len(text) <= 35:
        return AddressCheck(
            text,
            kind,
            False,
            f"has {len(text)} characters; a {kind} address has 26 to 35, so part of it is missing or extra",
        )
    try:
        payload = Base58Decoder.CheckDecode(text)
    except Base58ChecksumError:
        return AddressCheck(
            text,
            kind,
            False,
            "the Base58Check checksum (the last 4 bytes, a double SHA-256 of the rest) does not match: a character was mistyped",
        )
    except ValueError as err:
        return AddressCheck(text, kind, False, f"cannot be decoded as Base58Check: {err}")
    if len(payload) != 21 or VERSION_BYTES.get(payload[0]) != kind:
        return AddressCheck(
            text, kind, False, "the checksum holds but the length or version byte is not that of a Bitcoin address"
        )
    return AddressCheck(text, kind, True)


def _check_segwit(text: str) -> AddressCheck:
    if text != text.lower() and text != text.upper():
        return AddressCheck(text, "segwit", False, "mixes upper and lower case, which bech32 forbids")
    lower = text.lower()
    kind = {"q": "segwit v0 (bech32)", "p": "taproot (bech32m)"}.get(lower[3:4], "segwit")
    bad = sorted({c for c in lower[3:] if c not in BECH32_ALPHABET})
    if bad:
        return AddressCheck(
            text,
            kind,
            False,
            f"bech32 never uses the character(s) {', '.join(map(repr, bad))} (1, b, i and o are left out)",
        )
    if len(lower) not in SEGWIT_LENGTHS:
        return AddressCheck(
            text,
            kind,
            False,
            f"has {len(lower)} characters; a segwit address has 42 or 62, so part of it is missing or extra",
        )
    try:
        SegwitBech32Decoder.Decode("bc", lower)
    except Bech32ChecksumError:
        return AddressCheck(
            text, kind, False, "the bech32 checksum (the last 6 characters) does not match: a character was mistyped"
        )
    except ValueError as err:
        return AddressCheck(text, kind, False, f"not a valid segwit address: {err}")
    return AddressCheck(text, kind, True)


def _check_eip55(text: str) -> AddressCheck:
    kind = "Ethereum (EIP-55)"
    body = text[2:]
    if len(body) != 40:
        return AddressCheck(text, kind, False, f"has {len(body)} hex digits after 0x; an Ethereum address has 40")
    if any(c not in "0123456789abcdefABCDEF" for c in body):
        return AddressCheck(text, kind, False, "holds characters that are not hexadecimal (0-9, a-f)")
    if body == body.lower() or body == body.upper():
        return AddressCheck(text, "Ethereum (no checksum)", True, None)
    if eip55(bytes.fromhex(body)) != "0x" + body:
        return AddressCheck(
            text,
            kind,
            False,
            "the EIP-55 capitalisation does not match the Keccak-256 checksum: a character was mistyped",
        )
    return AddressCheck(text, kind, True)


def random_addresses(rng: np.random.Generator, count: int) -> list[str]:
    """`count` distinct addresses of mixed types, each with a valid checksum."""
    makers = (p2pkh, p2sh, p2wpkh)
    found: list[str] = []
    while len(found) < count:
        maker = makers[rng.integers(len(makers))]
        address = maker(rng.bytes(20))
        if address not in found:
            found.append(address)
    return found
