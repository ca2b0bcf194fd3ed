"""Exercises of 02_crypto_assets_and_services: units, prices at the time, token balances, seed phrases and exchange deposit addresses."""

from .answer_widgets import AnswerForm, Menu
from .answers import Amount, LabelSet
from .core import Exercise, Slip

MODULE = "02"


def powers_of_ten(*powers: int, before: str = "", code_before: str = "") -> tuple[tuple[str, str], ...]:
    """A menu's options (what the learner reads, the code): 10**power for each power, each label and code prefixed."""
    return tuple((f"{before}10**{power} (10 to the power {power})", f"{code_before}10**{power}") for power in powers)


reported_value_eth = Exercise(
    MODULE,
    "reported_value_eth",
    title="the reported payment, in ETH",
    task="put the value of the reported transaction, **in ETH**, in `reported_value_eth`.",
    objective="convert an amount in wei to ETH.",
    answer=Amount(unit="ETH", minimum=0, maximum=1_000_000),
    hints=[
        "Find the reported transaction's row in eth_transactions, take its value (in wei), and convert it: 1 ETH is 10**18 wei.",
        'eth_transactions[eth_transactions["hash"] == reported]["value"].iloc[0] is the value in wei, as an exact decimal.',
    ],
    slips=[
        Slip(
            'int(reported_row["value"]) / 10**8',
            "You divided by 10**8, the satoshi in a bitcoin. Ether has 18 decimals: 1 ETH is 10**18 wei.",
        ),
        Slip(
            'int(paid["value"]) / 10**18',
            "That is the value of the example transaction above. Use the reported transaction's row, reported_row.",
        ),
    ],
    form=AnswerForm(
        'int({row}["value"]) / {divisor}',
        (
            Menu(
                "row",
                "take the value of",
                (
                    ("the reported transaction, reported_row", "reported_row"),
                    ("the example transaction above, paid", "paid"),
                ),
            ),
            Menu("divisor", "and divide it by", powers_of_ten(18, 9, 8)),
        ),
    ),
)

reported_fee_gwei = Exercise(
    MODULE,
    "reported_fee_gwei",
    title="the fee it paid, in gwei",
    task="put the fee the reported transaction paid, **in gwei**, in `reported_fee_gwei`.",
    objective="compute a transaction's fee in wei and convert it to gwei.",
    answer=Amount(unit="gwei", minimum=0, maximum=1_000_000_000),
    hints=[
        "The fee is the gas the transaction used times the price it paid per unit of gas; the price is in wei.",
        'Take "receipt_gas_used" and "gas_price" from the reported transaction\'s row and multiply them: that is the fee in wei.',
    ],
    slips=[
        Slip(
            'int(reported_row["gas"]) * int(reported_row["gas_price"]) / 10**9',
            'You used "gas", the gas limit the sender allowed. The fee is paid on the gas the transaction used: "receipt_gas_used".',
        ),
        Slip(
            'int(reported_row["gas_price"]) / 10**9',
            'That is the price of one unit of gas. Multiply it by the gas the transaction used, "receipt_gas_used".',
        ),
        Slip(
            "fee_wei / 10**9",
            "That is the fee of the example transaction above. Use the reported transaction's row, reported_row.",
        ),
    ],
    form=AnswerForm(
        "{fee} / {divisor}",
        (
            Menu(
                "fee",
                "take",
                (
                    (
                        "the gas it used times its gas price (receipt_gas_used × gas_price of reported_row)",
                        'int(reported_row["receipt_gas_used"]) * int(reported_row["gas_price"])',
                    ),
                    (
                        "its gas limit times its gas price (gas × gas_price of reported_row)",
                        'int(reported_row["gas"]) * int(reported_row["gas_price"])',
                    ),
                    ("its gas price alone (gas_price of reported_row)", 'int(reported_row["gas_price"])'),
                    ("the fee of the example transaction above, fee_wei", "fee_wei"),
                ),
            ),
            Menu("divisor", "and divide it by", powers_of_ten(9, 18)),
        ),
    ),
)

payments_usd = Exercise(
    MODULE,
    "payments_usd",
    title="the payments in US dollars",
    task="put the total value of `payments` in US dollars, **each payment valued at the ETH price of its own hour**, in `payments_usd`.",
    objective="value transfers in US dollars at their own time with an as-of join on the price table.",
    answer=Amount(unit="USD", minimum=0, maximum=1_000_000_000),
    hints=[
        "Each payment must be valued at the ETH price of its own hour, not today's price and not one average price.",
        "cl.analysis.value_in_usd(payments, prices) adds the price of each payment's hour (price_usd) and its value (value_usd); pd.merge_asof does the same by hand.",
    ],
    slips=[
        Slip(
            'payments["amount"].sum() * eth_prices["price_usd"].iloc[-1]',
            "You valued every payment at the last price in the table. Value each at the price of its own hour.",
        ),
        Slip(
            'payments["amount"].sum() * eth_prices["price_usd"].mean()',
            "You valued every payment at one average price. Value each at the price of its own hour.",
        ),
        Slip(
            'payments["amount"].sum()',
            "That is the total in ETH. The task asks for US dollars, each payment at the price of its hour.",
        ),
    ],
    form=AnswerForm(
        "{total}",
        (
            Menu(
                "total",
                "add up the payments",
                (
                    (
                        "each valued at the price of its own hour (as-of join, value_in_usd)",
                        'cl.analysis.value_in_usd(payments, prices)["value_usd"].sum()',
                    ),
                    (
                        "all valued at the last price in the table",
                        'payments["amount"].sum() * eth_prices["price_usd"].iloc[-1]',
                    ),
                    (
                        "all valued at the average price of the table",
                        'payments["amount"].sum() * eth_prices["price_usd"].mean()',
                    ),
                    ("in ETH, without a price", 'payments["amount"].sum()'),
                ),
            ),
        ),
    ),
)

holder_balance_nusd = Exercise(
    MODULE,
    "holder_balance_nusd",
    title="a token balance from Transfer events",
    task="put the NUSD balance of the account `holder`, **in whole NUSD** (divide the smallest units by 10<sup>6</sup>), in `holder_balance_nusd`.",
    objective="compute a token balance from Transfer events.",
    answer=Amount(unit="USD", minimum=0, maximum=100e6),
    hints=[
        "A token balance is everything the account's Transfer events brought in, minus everything they took out.",
        'Add up "value" of the NUSD transfers whose "to_address" is holder, subtract those whose "from_address" is holder; use .map(int) before .sum() to keep it exact.',
    ],
    slips=[
        Slip(
            "cl.analysis.token_balance(token_transfers, holder, nusd)",
            "That is the balance in the token's smallest units. NUSD has 6 decimals: divide by 10**6 for whole NUSD.",
        ),
        Slip(
            "cl.analysis.token_balance(token_transfers, holder, nusd) / 10**18",
            "You divided by 10**18, ether's decimals. Each token has its own: NUSD has 6 (see the tokens table).",
        ),
        Slip(
            'nusd_transfers[nusd_transfers["to_address"] == holder]["value"].map(int).sum() / 10**6',
            'That is only what came in. Subtract what holder sent out (the transfers whose "from_address" is holder).',
        ),
    ],
    form=AnswerForm(
        "{units}{divisor}",
        (
            Menu(
                "units",
                "take",
                (
                    (
                        "what holder's Transfer events brought in, minus what they took out",
                        "cl.analysis.token_balance(token_transfers, holder, nusd)",
                    ),
                    (
                        "only what holder's Transfer events brought in",
                        'nusd_transfers[nusd_transfers["to_address"] == holder]["value"].map(int).sum()',
                    ),
                    (
                        "only what holder's Transfer events took out",
                        'nusd_transfers[nusd_transfers["from_address"] == holder]["value"].map(int).sum()',
                    ),
                ),
            ),
            Menu(
                "divisor",
                "and give it",
                (
                    *powers_of_ten(6, 18, before="divided by ", code_before=" / "),
                    ("not divided: in the token's smallest units", ""),
                ),
            ),
        ),
    ),
)

valid_notes = Exercise(
    MODULE,
    "valid_notes",
    title="which notes hold a valid seed phrase?",
    task="put the `note_id`s of the notes that hold a **valid** seed phrase in `valid_notes`.",
    objective="tell a valid BIP-39 seed phrase from an invalid one, and say which check fails.",
    answer=LabelSet(what="note ids"),
    hints=[
        "A phrase is valid only if all three checks pass: every word in the list, 12/15/18/21/24 words, and the checksum.",
        'seed_phrases.check_seed_phrase(phrase) says which checks one phrase passes; run it on every phrase of notes["phrase"] with a for loop, as in the loop above.',
    ],
    slips=[
        Slip(
            'notes["note_id"]',
            "Those are all the notes. Keep only the ones whose phrase passes all three checks.",
        ),
        Slip(
            'notes[notes["phrase"].map(lambda phrase: len(phrase.split()) in (12, 15, 18, 21, 24))]["note_id"]',
            "You checked only the number of words. A valid phrase also uses only words of the list, and its checksum matches.",
        ),
        Slip(
            'notes[~notes["phrase"].map(lambda phrase: seed_phrases.check_seed_phrase(phrase).valid)]["note_id"]',
            "Those are the notes whose phrase fails a check. The task asks for the valid ones.",
        ),
    ],
    form=AnswerForm(
        'notes[[{test} for phrase in notes["phrase"]]]["note_id"]',
        (
            Menu(
                "test",
                "keep the notes whose phrase",
                (
                    ("passes all three checks (.valid)", "seed_phrases.check_seed_phrase(phrase).valid"),
                    ("fails at least one check (not .valid)", "not seed_phrases.check_seed_phrase(phrase).valid"),
                    ("has 12, 15, 18, 21 or 24 words", "len(phrase.split()) in (12, 15, 18, 21, 24)"),
                    ("has exactly 12 words", "len(phrase.split()) == 12"),
                    ("is anything: keep every note", "True"),
                ),
            ),
        ),
    ),
)

deposit_like_accounts = Exercise(
    MODULE,
    "deposit_like_accounts",
    title="spot the deposit addresses",
    task="put the addresses in `candidates` that behave like exchange deposit addresses, **sending everything to one single receiver**, in `deposit_like_accounts`.",
    objective="spot exchange deposit addresses from their deposit-and-sweep pattern.",
    answer=LabelSet(what="addresses"),
    hints=[
        "A deposit address receives from its one customer and sends everything on to one address: its exchange's hot wallet.",
        'As in the example: movements[movements["from_address"] == address]["to_address"].nunique() counts the different receivers of one address. Do it for every address of candidates with a for loop, and print the counts.',
    ],
    slips=[
        Slip(
            "candidates",
            "Those are all the candidates. Keep only the ones that send everything to one single receiver.",
        ),
        Slip(
            '[address for address in candidates if movements[movements["to_address"] == address]["from_address"].nunique() == 1]',
            'You counted who sent to each candidate. Count whom each candidate sends to: its "to_address" where it is the "from_address".',
        ),
    ],
    form=AnswerForm(
        "[address for address in candidates if {counted}.nunique() {comparison}]",
        (
            Menu(
                "counted",
                "for each candidate, count",
                (
                    (
                        "the different receivers of what it sent",
                        'movements[movements["from_address"] == address]["to_address"]',
                    ),
                    (
                        "the different senders of what it received",
                        'movements[movements["to_address"] == address]["from_address"]',
                    ),
                ),
            ),
            Menu(
                "comparison",
                "and keep it when that count is",
                (("exactly 1, == 1", "== 1"), ("more than 1, > 1", "> 1"), ("1 or more, >= 1", ">= 1")),
            ),
        ),
    ),
)
