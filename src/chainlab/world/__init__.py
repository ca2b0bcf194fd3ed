"""The seeded synthetic world: entities, a UTXO chain with ordinary traffic and crime scenarios, off-chain records.

`build(profile, seed)` writes learners' tables to datasets/ and answer keys to grading/world/;
`verify` proves the chain's invariants. Everything is deterministic in (seed, profile, package version).
"""
