"""Exercises of 07_ethereum_defi_and_bridges: gas under EIP-1559, gas funders, swaps, mixers, bridges and freezes."""

from .answer_widgets import AnswerForm, Menu
from .answers import Amount, LabelSet, Text, WholeNumber
from .core import Exercise, Slip

MODULE = "07"

_BASE_FEE = 'int(eth_blocks[eth_blocks["number"] == fee_row["block_number"]]["base_fee_per_gas"].iloc[0])'
_THIEF_SWAPS = 'swap_events[swap_events["account"].isin(split_accounts) & (swap_events["asset"] == "NUSD")]'
_QUICK_SHORTLIST = 'set(quick_links["transaction_hash_withdrawal"])'
_UNFROZEN = 'nusd_holders[nusd_holders["frozen"] == False]["balance"].sum()'
_FROZEN = 'nusd_holders[nusd_holders["frozen"] == True]["balance"].sum()'

burned_fee_gwei = Exercise(
    MODULE,
    "burned_fee_gwei",
    title="the part of a fee that was burned",
    objective="Split an EIP-1559 fee into the burned base fee and the tip.",
    task="put the part of the fee of `fee_row` that was **burned**, **in gwei**, in `burned_fee_gwei`.",
    answer=Amount(unit="gwei", minimum=0),
    hints=[
        "The burned part is the gas the transaction used times the base fee per gas of its block; the tip is the rest.",
        'The gas used is fee_row["receipt_gas_used"]; the base fee is in eth_blocks, in the row whose "number" is fee_row["block_number"].',
    ],
    slips=[
        Slip(
            f'int(fee_row["gas"]) * {_BASE_FEE} / WEI_PER_GWEI',
            'You used "gas", the gas limit the sender allowed. The fee counts only the gas the transaction used: "receipt_gas_used".',
        ),
        Slip(
            'int(fee_row["receipt_gas_used"]) * int(fee_row["receipt_effective_gas_price"]) / WEI_PER_GWEI',
            "That is the whole fee (base fee and tip). Only the base fee is burned: use the block's base_fee_per_gas, not the price the transaction paid.",
        ),
        Slip(
            'int(fee_row["receipt_gas_used"]) * int(fee_row["max_fee_per_gas"]) / WEI_PER_GWEI',
            "max_fee_per_gas is the most the sender would have paid, not what was burned. Use the block's base_fee_per_gas.",
        ),
        Slip(
            'int(fee_row["receipt_gas_used"]) * int(fee_row["max_priority_fee_per_gas"]) / WEI_PER_GWEI',
            "That is the tip offered to the block's proposer, which is not burned. The burned part uses the block's base_fee_per_gas.",
        ),
    ],
    form=AnswerForm(
        "int(fee_row[{gas}]) * {price}{unit}",
        (
            Menu(
                "gas",
                "the gas",
                (
                    ("the transaction used: receipt_gas_used", '"receipt_gas_used"'),
                    ("limit the sender allowed: gas", '"gas"'),
                ),
            ),
            Menu(
                "price",
                "times the price per gas",
                (
                    ("the block's base fee: base_fee_per_gas in eth_blocks", _BASE_FEE),
                    (
                        "the transaction paid: receipt_effective_gas_price",
                        'int(fee_row["receipt_effective_gas_price"])',
                    ),
                    ("the most it would pay: max_fee_per_gas", 'int(fee_row["max_fee_per_gas"])'),
                    ("the tip it offered: max_priority_fee_per_gas", 'int(fee_row["max_priority_fee_per_gas"])'),
                ),
            ),
            Menu(
                "unit",
                "and give it",
                (("in gwei: divided by WEI_PER_GWEI", " / WEI_PER_GWEI"), ("in wei, as the chain counts", "")),
            ),
        ),
    ),
)

gas_funder = Exercise(
    MODULE,
    "gas_funder",
    title="who paid for a fresh account's gas",
    objective="Link a fresh account to its funder through the ether it needed for gas.",
    task="put the address that sent `fresh` its **first** ether in `gas_funder`.",
    answer=Text(what="the funding address"),
    hints=[
        "A fresh account can send nothing before someone gives it ether for gas: look at what it received, not at what it sent.",
        'Keep the rows of movements whose "to_address" is fresh and whose "asset" is "ETH"; they are in time order.',
    ],
    slips=[
        Slip(
            'fresh_sent["to_address"].iloc[0]',
            "That is the contract fresh called, not who funded it. Look at the movements whose to_address is fresh.",
        ),
        Slip(
            'fresh_withdrawals["account"].iloc[0]',
            "That is the recipient of a withdrawal fresh submitted. The funder is whoever sent fresh its first ether.",
        ),
    ],
    form=AnswerForm(
        "{address}",
        (
            Menu(
                "address",
                "the funder is",
                (
                    (
                        "the first ETH movement whose to_address is fresh: its from_address",
                        'movements[(movements["to_address"] == fresh) & (movements["asset"] == "ETH")]["from_address"].iloc[0]',
                    ),
                    ("fresh's first transaction (fresh_sent): its to_address", 'fresh_sent["to_address"].iloc[0]'),
                    (
                        "fresh's first withdrawal (fresh_withdrawals): its account",
                        'fresh_withdrawals["account"].iloc[0]',
                    ),
                ),
            ),
        ),
    ),
)

swap_proceeds_wei = Exercise(
    MODULE,
    "swap_proceeds_wei",
    title="follow the stolen tokens through the swap",
    objective="Follow stolen tokens through a DEX swap into the coin they were swapped for.",
    task="put the total **ether** the DEX paid to the accounts in `split_accounts` for their NUSD, **in wei**, in `swap_proceeds_wei`.",
    answer=Amount(unit="wei", minimum=0),
    hints=[
        "Each Swap event says what the trader paid in (asset, amount) and what it received (asset_out, amount_out).",
        'Keep the Swap events whose "account" is in split_accounts (use .isin) and whose "asset" is "NUSD"; what they received is "amount_out".',
    ],
    slips=[
        Slip(
            f'{_THIEF_SWAPS}["amount"].map(int).sum()',
            'You added up "amount", what the thief paid in: NUSD in its smallest units. The ether received is in "amount_out".',
        ),
        Slip(
            f'int({_THIEF_SWAPS}["amount_out"].iloc[0])',
            "That is one swap only. The thief swapped in several pieces from more than one account: add up all of them.",
        ),
        Slip(
            'swap_events[swap_events["account"] == split_accounts[0]]["amount_out"].map(int).sum()',
            "Those are the swaps of the first account only. Keep the swaps of every account in split_accounts, with .isin().",
        ),
        Slip(
            f'{_THIEF_SWAPS}["amount_out"].map(int).sum() / 10 ** nusd_decimals',
            "You divided by NUSD's decimals, but amount_out counts ether, and the answer is asked in wei: do not divide at all.",
        ),
    ],
    form=AnswerForm(
        "{rows}[{column}].map(int){total}{unit}",
        (
            Menu(
                "rows",
                "of the Swap events",
                (
                    ("of the accounts in split_accounts, paying in NUSD", _THIEF_SWAPS),
                    (
                        "of the first account, split_accounts[0]",
                        'swap_events[swap_events["account"] == split_accounts[0]]',
                    ),
                    ("of every trader, paying in NUSD", 'swap_events[swap_events["asset"] == "NUSD"]'),
                ),
            ),
            Menu(
                "column",
                "take",
                (("what they received: amount_out", '"amount_out"'), ("what they paid in: amount", '"amount"')),
            ),
            Menu("total", "and keep", (("the total of every swap", ".sum()"), ("the first swap only", ".iloc[0]"))),
            Menu(
                "unit",
                "and give it",
                (
                    ("in wei, as the chain counts", ""),
                    ("divided by WEI_PER_ETH", " / WEI_PER_ETH"),
                    ("divided by NUSD's decimals, 10 ** nusd_decimals", " / 10 ** nusd_decimals"),
                ),
            ),
        ),
    ),
)

mixer_shortlist = Exercise(
    MODULE,
    "mixer_shortlist",
    title="shortlist the thief's mixer withdrawals",
    objective="Shortlist the mixer withdrawals the linking heuristics tie to a suspect's deposits.",
    task=(
        "put the withdrawals that `link_mixer` links to the deposits in `thief_deposits`, with all four heuristics and a "
        "timing window of **12 hours**, in `mixer_shortlist`."
    ),
    answer=LabelSet(what="withdrawal transaction hashes"),
    hints=[
        "Run link_mixer as in the example above, but allow withdrawals up to 12 hours after a deposit: max_minutes is in minutes.",
        "12 hours is 12 * 60 minutes; keep the column transaction_hash_withdrawal of the result, once per withdrawal: set(...) does that.",
    ],
    slips=[
        Slip(
            _QUICK_SHORTLIST,
            "That is the shortlist of a window of 3 hours or less: the default window, or max_minutes=12, which means 12 minutes. "
            "Set max_minutes to 12 hours, in minutes: 12 * 60.",
        ),
        Slip(
            'set(cl.analysis.link_mixer(mixer_deposits, mixer_withdrawals, eth_transactions, max_minutes=12 * 60)["transaction_hash_withdrawal"])',
            "You linked every depositor's deposits, not only the thief's. Start from thief_deposits.",
        ),
        Slip(
            'set(cl.analysis.link_mixer(thief_deposits, mixer_withdrawals, eth_transactions, max_minutes=12 * 60)["transaction_hash_deposit"])',
            "Those are the deposits. The shortlist is of withdrawals: transaction_hash_withdrawal.",
        ),
    ],
    form=AnswerForm(
        "set(cl.analysis.link_mixer({deposits}, mixer_withdrawals, eth_transactions, max_minutes={window})[{column}])",
        (
            Menu(
                "deposits",
                "link the deposits",
                (
                    ("of the thief: thief_deposits", "thief_deposits"),
                    ("of every depositor: mixer_deposits", "mixer_deposits"),
                ),
            ),
            Menu(
                "window",
                "with max_minutes =",
                (
                    ("12", "12"),
                    ("3 * 60, the default", "3 * 60"),
                    ("12 * 60", "12 * 60"),
                    ("12 * 60 * 60", "12 * 60 * 60"),
                ),
            ),
            Menu(
                "column",
                "and keep",
                (
                    ("the withdrawals: transaction_hash_withdrawal", '"transaction_hash_withdrawal"'),
                    ("the deposits: transaction_hash_deposit", '"transaction_hash_deposit"'),
                ),
            ),
        ),
    ),
)

shortlist_precision = Exercise(
    MODULE,
    "shortlist_precision",
    title="how good is the shortlist?",
    objective="Measure a shortlist's precision against a case file's confirmed findings.",
    task="put the **precision** of `mixer_shortlist` against `confirmed`, in percent, rounded to a whole number, in `shortlist_precision`.",
    answer=WholeNumber(what="the precision in percent, rounded"),
    hints=[
        "Precision looks only at the shortlist: of the withdrawals it holds, what share does the case file confirm?",
        "set(mixer_shortlist) & confirmed keeps the shortlisted withdrawals that are confirmed; divide how many they are by the length of the shortlist.",
    ],
    slips=[
        Slip(
            "round(100 * len(set(mixer_shortlist) & confirmed) / len(confirmed))",
            "You divided by the size of the case file: that is the recall. Precision divides by the size of the shortlist.",
        ),
        Slip(
            'round(100 * len(set(quick_links["transaction_hash_withdrawal"]) & confirmed) / quick_links["transaction_hash_withdrawal"].nunique())',
            "That is the precision of the 3-hour shortlist. Measure mixer_shortlist, the 12-hour one.",
        ),
    ],
    form=AnswerForm(
        "round(100 * {share})",
        (
            Menu(
                "share",
                "in percent:",
                (
                    (
                        "confirmed shortlisted ÷ shortlisted, for mixer_shortlist",
                        "len(set(mixer_shortlist) & confirmed) / len(set(mixer_shortlist))",
                    ),
                    (
                        "confirmed shortlisted ÷ confirmed, for mixer_shortlist",
                        "len(set(mixer_shortlist) & confirmed) / len(confirmed)",
                    ),
                    (
                        "confirmed shortlisted ÷ shortlisted, for the 3-hour shortlist (quick_links)",
                        f"len({_QUICK_SHORTLIST} & confirmed) / len({_QUICK_SHORTLIST})",
                    ),
                ),
            ),
        ),
    ),
)

bridge_release = Exercise(
    MODULE,
    "bridge_release",
    title="match the bridge deposit to its release",
    objective="Match a bridge deposit on one chain to the payment that released it on the other.",
    task="put the hash of the **UTXO-chain** transaction that paid out the bridge deposit `asked_deposit` in `bridge_release`.",
    answer=Text(what="the UTXO-chain transaction hash", length=64),
    hints=[
        "The bridge pays on the other chain to the destination address named in the deposit's BridgeDeposit event.",
        'releases (from match_bridge) has one row per deposit: find the row whose "transaction_hash_deposit" is asked_deposit.',
    ],
    slips=[
        Slip(
            'releases[releases["transaction_hash_deposit"] == same_amount["transaction_hash"].iloc[0]]["transaction_hash_release"].iloc[0]',
            "That release pays another deposit of the same amount: amounts alone do not identify a bridge transfer. Match on the destination address.",
        ),
        Slip(
            'releases[releases["transaction_hash_deposit"] == same_amount["transaction_hash"].iloc[-2]]["transaction_hash_release"].iloc[0]',
            "That release pays an earlier deposit of the same amount: amounts alone do not identify a bridge transfer. Match on the destination address.",
        ),
    ],
    form=AnswerForm(
        'releases[releases["transaction_hash_deposit"] == {deposit}]["transaction_hash_release"].iloc[0]',
        (
            Menu(
                "deposit",
                "the release of",
                (
                    ("the deposit asked about: asked_deposit", "asked_deposit"),
                    ("the first deposit of the same amount", 'same_amount["transaction_hash"].iloc[0]'),
                    ("the deposit of the same amount just before it", 'same_amount["transaction_hash"].iloc[-2]'),
                ),
            ),
        ),
    ),
)

still_freezable_nusd = Exercise(
    MODULE,
    "still_freezable_nusd",
    title="what the issuer can still freeze",
    objective="Work out which stolen tokens an issuer's freeze did not catch, and could still catch.",
    task="put the NUSD still held by the accounts in `nusd_holders` that the issuer has **not** frozen, **in whole NUSD**, in `still_freezable_nusd`.",
    answer=Amount(unit="USD", minimum=0),
    hints=[
        "The table nusd_holders has each account's balance now and whether the issuer froze it.",
        'Keep the rows whose "frozen" is False and add up their "balance"; then divide by 10 ** nusd_decimals for whole NUSD.',
    ],
    slips=[
        Slip(
            _UNFROZEN,
            "That is in NUSD's smallest units. Divide by 10 ** nusd_decimals for whole NUSD.",
        ),
        Slip(
            f"{_UNFROZEN} / WEI_PER_ETH",
            "You divided by ether's 10**18, but NUSD has its own decimals: use 10 ** nusd_decimals, from the tokens table.",
        ),
        Slip(
            f"{_FROZEN} / 10 ** nusd_decimals",
            "That is what the issuer already froze. The question is what it has not frozen yet.",
        ),
        Slip(
            f'(int(exploit_transfer["value"]) - {_FROZEN}) / 10 ** nusd_decimals',
            "The stolen amount minus the frozen part also counts the tokens swapped away on the DEX, which no thief's account holds any more. Add up the unfrozen balances.",
        ),
    ],
    form=AnswerForm(
        "{amount}{unit}",
        (
            Menu(
                "amount",
                "add up",
                (
                    ("the balances of the accounts not frozen", _UNFROZEN),
                    ("the balances of the frozen accounts", _FROZEN),
                    ("the stolen NUSD minus the frozen balances", f'(int(exploit_transfer["value"]) - {_FROZEN})'),
                ),
            ),
            Menu(
                "unit",
                "and give it",
                (
                    ("in whole NUSD: divided by 10 ** nusd_decimals", " / 10 ** nusd_decimals"),
                    ("in NUSD's smallest units, as the chain counts", ""),
                    ("divided by WEI_PER_ETH", " / WEI_PER_ETH"),
                ),
            ),
        ),
    ),
)
