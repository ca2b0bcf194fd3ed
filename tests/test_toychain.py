"""The toy chain of 01_blockchain_fundamentals: seeded, consistent as a ledger, and linked block to block."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from chainlab.chain import addresses, toychain
from chainlab.chain.toychain import BLOCK_COUNT, BLOCK_REWARD_SAT, NO_PREVIOUS_BLOCK, WORK_PREFIX

SEEDS = range(12)


@pytest.fixture(scope="module")
def chains():
    return {seed: toychain.build(seed) for seed in SEEDS}


def test_sha256_hex_matches_the_fips_180_4_example():
    # FIPS 180-4's example: SHA-256("abc").
    assert toychain.sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_same_seed_gives_the_same_chain_and_another_seed_another(chains):
    again = toychain.build(3)
    assert [b.hash for b in again.blocks] == [b.hash for b in chains[3].blocks]
    assert again.copied_addresses == chains[3].copied_addresses
    assert chains[3].blocks[-1].hash != chains[4].blocks[-1].hash


def test_chainlab_seed_picks_the_cohort_chain(monkeypatch, chains):
    monkeypatch.setenv("CHAINLAB_SEED", "7")
    assert toychain.build().blocks[-1].hash == chains[7].blocks[-1].hash


def test_blocks_are_mined_and_each_links_to_the_one_before(chains):
    for chain in chains.values():
        assert len(chain.blocks) == BLOCK_COUNT
        assert chain.blocks[0].previous_hash == NO_PREVIOUS_BLOCK
        for before, block in zip(chain.blocks, chain.blocks[1:]):
            assert block.previous_hash == before.hash
            assert block.height == before.height + 1
            assert block.timestamp > before.timestamp
        assert all(b.hash.startswith(WORK_PREFIX) for b in chain.blocks)


def test_a_block_hash_covers_its_transactions_and_its_link():
    block = toychain.build(1).blocks[4]
    assert replace(block, previous_hash="f" * 64).hash != block.hash
    assert replace(block, transactions=block.transactions[:1]).hash != block.hash
    assert replace(block).hash == block.hash


def test_value_is_conserved_fees_go_to_the_miner_and_only_rewards_create_coins(chains):
    for chain in chains.values():
        for block in chain.blocks:
            coinbase, *payments = block.transactions
            assert coinbase.is_coinbase and not any(t.is_coinbase for t in payments)
            assert all(t.fee > 0 and t.input_value == t.output_value + t.fee for t in payments)
            assert coinbase.output_value == BLOCK_REWARD_SAT + sum(t.fee for t in payments)
        unspent = chain.outputs_table().query("not is_spent")
        assert unspent["value"].sum() == BLOCK_REWARD_SAT * BLOCK_COUNT


def test_every_input_spends_an_earlier_output_once_with_its_address_and_value(chains):
    for chain in chains.values():
        outputs = chain.outputs_table().set_index(["transaction_hash", "index"])
        inputs = chain.inputs_table()
        spent = list(zip(inputs["spent_transaction_hash"], inputs["spent_output_index"]))
        assert len(spent) == len(set(spent)), "an output is spent twice"
        for row in inputs.itertuples():
            source = outputs.loc[(row.spent_transaction_hash, row.spent_output_index)]
            assert source["block_number"] < row.block_number
            assert (source["address"], source["value"]) == (row.address, row.value)
        assert set(outputs.index[outputs["is_spent"]]) == set(spent)


def test_payments_send_change_back_to_the_payer(chains):
    for chain in chains.values():
        for block in chain.blocks:
            for payment in block.transactions[1:]:
                payers = {i.address for i in payment.inputs}
                assert len(payers) == 1 and len(payment.outputs) == 2
                assert [o.address in payers for o in payment.outputs].count(True) == 1


def test_the_unconfirmed_transaction_spends_unspent_outputs_of_bystanders(chains):
    for chain in chains.values():
        waiting_inputs, waiting_outputs = chain.unconfirmed_tables()
        unspent = chain.outputs_table().query("not is_spent")
        assert set(zip(waiting_inputs["spent_transaction_hash"], waiting_inputs["spent_output_index"])) <= set(
            zip(unspent["transaction_hash"], unspent["index"])
        )
        involved = set(waiting_inputs["address"]) | set(waiting_outputs["address"])
        assert not involved & {chain.suspect_address, chain.example_address}
        assert waiting_inputs["value"].sum() - waiting_outputs["value"].sum() == chain.unconfirmed.fee > 0
        assert waiting_inputs["block_number"].isna().all()


def test_exactly_one_copied_address_has_a_typo_and_it_is_one_character_off(chains):
    for chain in chains.values():
        known = {o.address for b in chain.blocks for t in b.transactions for o in t.outputs}
        invalid = [a for a in chain.copied_addresses if not addresses.is_valid(a)]
        assert len(invalid) == 1 and len(chain.copied_addresses) == 6
        originals = [a for a in known if len(a) == len(invalid[0]) and sum(x != y for x, y in zip(a, invalid[0])) == 1]
        assert len(originals) == 1 and originals[0] != chain.example_address
        assert set(chain.copied_addresses) - set(invalid) <= known, (
            "every correctly copied address can be looked up on the chain"
        )


def test_the_asked_about_items_make_each_exercise_need_its_step(chains):
    for chain in chains.values():
        transactions = chain.transactions_table()
        reported = transactions[transactions["hash"] == chain.reported_transaction]
        assert len(reported) == 1 and not reported["is_coinbase"].iloc[0]
        assert chain.reported_transaction != chain.example_transaction
        outputs = chain.outputs_table()
        for address in (chain.suspect_address, chain.example_address):
            received = outputs[outputs["address"] == address]
            assert received["is_spent"].any() and not received["is_spent"].all(), (
                "a balance must need the unspent filter"
            )


def test_tables_use_the_explorer_column_names_and_whole_satoshi():
    chain = toychain.build(2)
    assert list(chain.blocks_table().columns) == [
        "number",
        "hash",
        "previous_hash",
        "timestamp",
        "nonce",
        "transaction_count",
    ]
    assert {"hash", "block_number", "block_timestamp", "is_coinbase", "input_value", "output_value", "fee"} <= set(
        chain.transactions_table().columns
    )
    assert list(chain.outputs_table().columns) == [
        "transaction_hash",
        "block_number",
        "index",
        "address",
        "value",
        "is_spent",
    ]
    for table in (chain.transactions_table(), chain.inputs_table(), chain.outputs_table()):
        assert table.select_dtypes("number").columns.size and all(
            str(t).startswith(("int", "Int")) for t in table.select_dtypes("number").dtypes
        )
    assert chain.blocks_table()["transaction_count"].sum() == len(chain.transactions_table())


def test_explorer_record_states_block_confirmations_and_fee():
    chain = toychain.build(2)
    transactions = chain.transactions_table().set_index("hash")
    height = transactions.loc[chain.example_transaction, "block_number"]
    record = chain.explorer_record(chain.example_transaction.upper())
    assert f"confirmed in block {height} ({chain.tip_height - height + 1} confirmation" in record
    assert f"({transactions.loc[chain.example_transaction, 'fee']:,} sat)" in record
    newest_coinbase = chain.blocks[-1].transactions[0].hash
    assert "(1 confirmation)" in chain.explorer_record(newest_coinbase)
    assert "0 confirmations" in chain.explorer_record(chain.unconfirmed.hash)
    assert "No transaction" in chain.explorer_record("abc123")


def test_rewrite_changes_the_tampered_block_and_relinks_every_later_one_without_mining():
    chain = toychain.build(4)
    tampered = toychain.rewrite(chain.blocks, 3, 0, 0, 1)
    assert [b.hash for b in tampered[:3]] == [b.hash for b in chain.blocks[:3]]
    assert all(new.hash != old.hash for new, old in zip(tampered[3:], chain.blocks[3:]))
    assert all(later.previous_hash == before.hash for before, later in zip(tampered, tampered[1:]))
    assert tampered[3].transactions[0].outputs[0].value == 1
    assert (
        chain.blocks[3].transactions[0].outputs[0].value == chain.blocks[3].transactions[0].output_value
    )  # the original is untouched
    with pytest.raises(ValueError, match="no block 10"):
        toychain.rewrite(chain.blocks, 10, 0, 0, 1)


@pytest.mark.parametrize(
    "address",
    [addresses.p2pkh(bytes(range(20))), addresses.p2sh(bytes(range(1, 21))), addresses.p2wpkh(bytes(range(2, 22)))],
)
def test_with_typo_changes_one_character_after_the_prefix_and_the_checksum_catches_it(address):
    rng = np.random.default_rng(0)
    for _ in range(30):
        typo = toychain.with_typo(address, rng)
        differences = [i for i, (a, b) in enumerate(zip(address, typo)) if a != b]
        assert len(typo) == len(address) and len(differences) == 1
        assert differences[0] >= (4 if address.startswith("bc1") else 1)
        assert not addresses.is_valid(typo)


def test_with_typo_refuses_text_too_short_to_change():
    with pytest.raises(ValueError, match="too short"):
        toychain.with_typo("bc1", np.random.default_rng(0))
