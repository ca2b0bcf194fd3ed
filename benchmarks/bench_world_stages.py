"""CPU seconds per stage of one world build; it wraps the stages from outside, so it times any source tree alike.

Run: PYTHONPATH=<tree>/src .venv/bin/python benchmarks/bench_world_stages.py [classroom|large]
Stages nest (the account traffic includes the theft scenario it pauses for); the rest of the total is the population,
the other scenarios and imports.
"""

import functools
import sys
import tempfile
import time

from chainlab.world import account, account_traffic, offchain, store, traffic, truth, utxo
from chainlab.world import build as b

spent = {}


def wrap(owner, name, label):
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*a, **k):
        t = time.process_time()
        try:
            return original(*a, **k)
        finally:
            spent[label] = spent.get(label, 0) + time.process_time() - t

    setattr(owner, name, timed)


wrap(traffic.Traffic, "run", "utxo traffic")
wrap(account_traffic.AccountTraffic, "run", "account traffic (incl. nested)")
wrap(b, "encode_addresses", "encode addresses")
wrap(utxo.UtxoLedger, "tables", "utxo tables")
wrap(account.AccountLedger, "tables", "account tables")
wrap(offchain, "records", "off-chain records")
wrap(truth, "answer_tables", "answer keys")
wrap(store, "write_folder", "write parquet")
t = time.process_time()
b.build(sys.argv[1] if len(sys.argv) > 1 else "classroom", root=tempfile.mkdtemp(), progress=False)
total = time.process_time() - t
print({k: round(v, 2) for k, v in spent.items()}, "total", round(total, 2))
