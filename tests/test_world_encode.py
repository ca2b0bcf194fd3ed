"""The vectorised encoders give exactly the strings chainlab.addresses gives, one at a time."""

import numpy as np
import pytest

from chainlab.chain import addresses
from chainlab.world import encode
from chainlab.world.verify import invalid_addresses

RNG = np.random.default_rng(7)
HASHES = RNG.integers(0, 256, (400, 20), dtype=np.uint8)
HASHES[:3, :2] = 0  # leading zero bytes give extra leading '1's in Base58Check
KEYS = RNG.integers(0, 256, (200, 32), dtype=np.uint8)


@pytest.mark.parametrize(
    "vectorised, reference, data",
    [
        (lambda h: encode.base58check(0x00, h), addresses.p2pkh, HASHES),
        (lambda h: encode.base58check(0x05, h), addresses.p2sh, HASHES),
        (lambda h: encode.segwit(h, 0), addresses.p2wpkh, HASHES),
        (lambda k: encode.segwit(k, 1), addresses.p2tr, KEYS),
        (encode.eip55, addresses.eip55, HASHES),
    ],
    ids=["p2pkh", "p2sh", "p2wpkh", "p2tr", "eip55"],
)
def test_vectorised_encoding_matches_reference(vectorised, reference, data):
    assert vectorised(data).to_pylist() == [reference(bytes(row)) for row in data]


def test_hex_strings():
    assert encode.hex_strings(KEYS[:5]).to_pylist() == [bytes(row).hex() for row in KEYS[:5]]


def test_invalid_addresses_finds_typos():
    good = (
        encode.segwit(HASHES[:3], 0).to_pylist()
        + encode.segwit(KEYS[:3], 1).to_pylist()
        + encode.base58check(0, HASHES[:3]).to_pylist()
    )
    typo = [a[:-2] + ("q" if a[-2] != "q" else "p") + a[-1] for a in good[:1]] + [
        good[6][:-1] + ("2" if good[6][-1] != "2" else "3")
    ]
    import pyarrow as pa

    assert invalid_addresses(pa.array(good)) == []
    assert sorted(invalid_addresses(pa.array(good + typo))) == sorted(typo)
