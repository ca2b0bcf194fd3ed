"""Build a world: generate it, turn it into tables, write datasets/ and grading/world/ with manifests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ..version import __version__
from . import defi, offchain, store, truth
from .account_traffic import AccountTraffic
from .model import World
from .paths import answer_dir, dataset_dir, resolve_seed
from .population import populate
from .profiles import profile as find_profile
from .profiles import stream
from .scenarios import (
    aml,
    capstone,
    coinjoin,
    darknet,
    exploitation_site,
    pig_butchering,
    ransomware,
    sanctions,
    stablecoin_theft,
    terror_financing,
)
from .schema import ANSWER_TABLES, WORLD_FINGERPRINT
from .traffic import Traffic
from .utxo import encode_addresses

STAGES = 6  # steps besides the days of traffic, for the progress bar


def generate(profile_name: str, seed: int, progress=None) -> World:
    """The whole world in memory: population, the account chain, crime scenarios, then the UTXO chain's ordinary traffic."""
    world = World(find_profile(profile_name), seed)
    populate(world, stream(seed, "population"))
    defi.setup(world, stream(seed, "account-setup"))
    mixer = coinjoin.CoinJoinService(world, stream(seed, "coinjoin"))
    darknet.run(world, stream(seed, "darknet"), mixer)
    coinjoin.run_rounds(mixer, stream(seed, "coinjoin-rounds"))
    ransomware.run(world, stream(seed, "ransomware"))
    pig_butchering.run(world, stream(seed, "pig-butchering"))
    terror_financing.run(world, stream(seed, "terror-financing"))
    sanctions.run(world, stream(seed, "sanctions"))
    aml.run(world, stream(seed, "aml"))
    exploitation_site.run(world, stream(seed, "exploitation-site"))
    account_traffic = AccountTraffic(world, stream(seed, "account-traffic"))
    stablecoin_theft.run(world, stream(seed, "stablecoin-theft"), account_traffic)
    account_traffic.run()
    world.bridge.release_all()
    stablecoin_theft.cash_out(world, stream(seed, "stablecoin-cash-out"))
    capstone.run(world, stream(seed, "capstone"))
    _advance(progress)
    Traffic(world, stream(seed, "traffic")).run(progress)
    return world


def tables(world: World, progress=None) -> tuple[dict, dict, dict]:
    """(learners' tables, answer-key tables, case answers) for a generated world."""
    seed = world.seed
    address_text = encode_addresses(world.book, stream(seed, "address-keys"))
    _advance(progress)
    chain, position = world.btc.tables(stream(seed, "transaction-ids"), address_text)
    tx_hash = chain["transactions"]["hash"].combine_chunks().take(position)  # indexed by internal transaction id
    accounts, eth_address, eth_hash = world.eth.tables(stream(seed, "account-ids"), address_text)
    _advance(progress)
    learners = {
        **chain,
        **accounts,
        **offchain.records(world, stream(seed, "offchain"), address_text, tx_hash, eth_address),
    }
    _advance(progress)
    answers = truth.answer_tables(world, address_text, tx_hash, eth_address, eth_hash)
    learners["aml_case_file"] = truth.aml_case_file(answers["aml_labels"])
    learners["dnm_case_file"] = truth.dnm_case_file(world, address_text, tx_hash)
    learners["st_case_file"] = truth.st_case_file(answers["mixer_links"])
    cases = truth.case_answers(world, address_text, tx_hash, eth_address, eth_hash)
    return learners, answers, cases


def build(
    profile: str = "classroom",
    seed: int | None = None,
    *,
    root: Path | None = None,
    force: bool = False,
    progress: bool = True,
    answers: bool = True,
) -> Path:
    """Build the world's datasets (unless they exist, were built with today's tables, and `force` is false); returns the learners' folder.

    With `answers=False` (a learner's kernel), only the learners' tables are written, never the ground truth."""
    seed = resolve_seed(seed)
    find_profile(profile)
    folder, keys = dataset_dir(profile, seed, root), answer_dir(profile, seed, root)
    with store.build_lock(folder):  # two kernels (or test workers) asking at once: one builds, the other reads it
        return _build_locked(profile, seed, folder, keys, force, progress, answers)


def _build_locked(
    profile: str, seed: int, folder: Path, keys: Path, force: bool, progress: bool, answers: bool
) -> Path:
    """`build`, once this process holds the folder's build lock."""
    learner_tables_due = store.needs_build(folder) or force
    if not (learner_tables_due or (answers and store.needs_build(keys))):
        return folder
    about = {
        "format": 1,
        "world_code": WORLD_FINGERPRINT,
        "chainlab_version": __version__,
        "profile": profile,
        "seed": seed,
    }
    total = find_profile(profile).days + STAGES
    with tqdm(total=total, desc=f"building {folder.name}", disable=not progress, leave=False) as bar:
        world = generate(profile, seed, bar.update)
        learners, ground_truth, cases = tables(world, bar.update)
        if learner_tables_due:
            store.write_folder(folder, learners, about)
        _advance(bar.update)
        if answers:
            store.write_folder(keys, {name: ground_truth[name] for name in ANSWER_TABLES}, about)
            (keys / "cases.json").write_text(json.dumps(cases, indent=2, default=_plain) + "\n")
        _advance(bar.update)
    return folder


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _advance(progress) -> None:
    if progress is not None:
        progress(1)
