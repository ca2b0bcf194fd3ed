"""Address checks against the specifications' published test vectors, and each failure's plain-language verdict."""

import pytest

from chainlab.chain import addresses

# Valid vectors from BIP-173 (bech32), BIP-350 (bech32m) and EIP-55.
VALID = {
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4": "segwit v0 (bech32)",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0": "taproot (bech32m)",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed": "Ethereum (EIP-55)",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359": "Ethereum (EIP-55)",
}


@pytest.mark.parametrize("address, kind", VALID.items())
def test_published_vectors_are_valid(address, kind):
    verdict = addresses.check(address)
    assert verdict.valid and verdict.kind == kind


@pytest.mark.parametrize(
    "make, prefix, kind",
    [
        (addresses.p2pkh, "1", "P2PKH"),
        (addresses.p2sh, "3", "P2SH"),
        (addresses.p2wpkh, "bc1q", "segwit v0 (bech32)"),
    ],
)
def test_made_addresses_round_trip(make, prefix, kind):
    for byte in range(0, 256, 51):
        address = make(bytes([byte]) * 20)
        assert address.startswith(prefix) and addresses.check(address).kind == kind and addresses.is_valid(address)


def test_eip55_encoder_matches_the_published_vector():
    assert (
        addresses.eip55(bytes.fromhex("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
        == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    )


@pytest.mark.parametrize(
    "address, reason",
    [
        (addresses.p2pkh(bytes(range(20)))[:-1] + "z", "Base58Check checksum"),
        ("1" + "O" * 30, "never uses the character(s) 'O'"),
        ("1AjZ", "part of it is missing"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "bech32 checksum"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t", "part of it is missing"),
        ("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mixes upper and lower case"),
        (
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "checksum",
        ),  # a v0 checksum on a v1 address: bech32m is required
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55 capitalisation"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "has 39 hex digits"),
        ("hello", "starts with neither"),
    ],
)
def test_each_failure_names_the_check_that_fails(address, reason):
    verdict = addresses.check(address)
    assert not verdict.valid and reason in verdict.problem, verdict


def test_a_non_text_value_is_refused_plainly():
    verdict = addresses.check(12345)
    assert not verdict.valid and "text (str)" in verdict.problem
