"""Exercises of 06_clustering_and_attribution: clusters, CoinJoins, change (also by wallet fingerprint), attribution from tags, error rates."""

from .answer_widgets import AnswerForm, Menu
from .answers import Count, LabelSet, Text, WholeNumber
from .core import Exercise, Slip

MODULE = "06"
# The address the vendor's cash-out pays (exercise 6's steps 1 and 2 in one expression), as the panel writes it
VENDOR_DEPOSIT = 'outputs[outputs["transaction_hash"].isin(inputs[inputs["address"] == vendor]["transaction_hash"])]["address"].iloc[0]'
# The fresh-address heuristic's answers in the transactions the records cover (exercise 7's step 1), and those confirmed as payments
FRESH_COVERED = 'len(fresh[fresh["transaction_hash"].isin(payments["transaction_hash"])])'
FRESH_CONFIRMED_PAYMENTS = 'len(fresh.merge(payments, on=["transaction_hash", "index"]))'

escrow_cluster_size = Exercise(
    MODULE,
    "escrow_cluster_size",
    title="the escrow wallet's cluster",
    objective="Cluster addresses with the multi-input heuristic.",
    task="put the number of addresses in the cluster of `escrow` (multi-input heuristic, CoinJoins skipped) in `escrow_cluster_size`.",
    answer=Count(of="addresses"),
    hints=[
        "The cluster is every address joined to escrow by a chain of transactions that spent them together, not only the addresses of one transaction.",
        "clusters = cl.analysis.cluster_addresses(chain) builds every cluster; clusters.members(escrow) lists the addresses in escrow's cluster.",
    ],
    slips=[
        Slip(
            "len(clusters.links(escrow))",
            "You counted the links (one per pair joined), not the addresses. A cluster of n addresses needs at least n - 1 links: count the members instead.",
        ),
        Slip(
            "pd.concat([inputs[inputs['transaction_hash'].isin(inputs[inputs['address'] == escrow]['transaction_hash'])]['address'], "
            "outputs[outputs['transaction_hash'].isin(inputs[inputs['address'] == escrow]['transaction_hash'])]['address']]).nunique()",
            "You counted the outputs' addresses too. The multi-input heuristic joins only addresses that are spent together, as inputs: "
            "whoever receives an output may be someone else.",
        ),
    ],
    form=AnswerForm(
        "{count}",
        (
            Menu(
                "count",
                "count",
                (
                    (
                        "the addresses of the escrow's cluster, clusters.members(escrow)",
                        "len(clusters.members(escrow))",
                    ),
                    ("the links that built the cluster, clusters.links(escrow)", "len(clusters.links(escrow))"),
                    (
                        "the input and output addresses of the transactions that spend escrow",
                        'pd.concat([inputs[inputs["transaction_hash"].isin(spends_escrow)]["address"], '
                        'outputs[outputs["transaction_hash"].isin(spends_escrow)]["address"]]).nunique()',
                    ),
                ),
            ),
        ),
    ),
)

coinjoin_hashes = Exercise(
    MODULE,
    "coinjoin_hashes",
    title="find the CoinJoins",
    objective="Detect CoinJoin transactions with the equal-output rule.",
    task="put the hashes of the transactions that have at least 3 outputs of exactly the same value **and** inputs from at least 2 different addresses in `coinjoin_hashes`.",
    answer=LabelSet(what="transaction hashes"),
    hints=[
        "Two conditions, joined with &: the largest number of equal outputs is at least 3, and the number of different input addresses is at least 2.",
        'The table `shapes` above has both numbers for every transaction: shapes["equal_outputs"] and shapes["input_addresses"].',
    ],
    slips=[
        Slip(
            "shapes[shapes['equal_outputs'] >= 3].index",
            "You kept only the equal-output condition. One payer can send several equal payments in one transaction (a batch): "
            "a CoinJoin also has inputs from at least 2 different addresses.",
        ),
        Slip(
            "shapes[(shapes['equal_outputs'] >= 2) & (shapes['input_addresses'] >= 2)].index",
            "At least 3 equal outputs, not 2: check the number in your first condition.",
        ),
    ],
    form=AnswerForm(
        'shapes[(shapes["equal_outputs"] >= {equal}){inputs}].index',
        (
            Menu(
                "equal",
                "keep the transactions with",
                (("at least 2 equal outputs", "2"), ("at least 3 equal outputs", "3")),
            ),
            Menu(
                "inputs",
                "and",
                (
                    ("inputs from at least 2 different addresses", ' & (shapes["input_addresses"] >= 2)'),
                    ("inputs from any number of addresses", ""),
                ),
            ),
        ),
    ),
)

change_addresses = Exercise(
    MODULE,
    "change_addresses",
    title="spot the change",
    objective="Identify change outputs with the address-type and round-amount heuristics.",
    task="for each transaction in `puzzle`, find the output that goes back to the payer, and put the addresses of those change outputs in `change_addresses`.",
    answer=LabelSet(what="addresses"),
    hints=[
        "In each transaction, the change is the output that has the same script type as the inputs and is not a round amount; the payment is the round one.",
        'cl.analysis.find_change(chain, ["address_type", "round_amount"], agree=2) lists the change outputs both heuristics agree on; keep the rows of the puzzle\'s transactions.',
    ],
    slips=[
        Slip(
            "(lambda f: f[f['transaction_hash'].isin(puzzle)]['address'])(cl.analysis.find_change(chain, 'fresh_address'))",
            "You used the fresh-address heuristic. Here it names the other output: the payee's address was new too, so 'never seen before' "
            "does not tell payment from change. Use the script type and the round amount.",
        ),
    ],
    form=AnswerForm(
        '(agreed := cl.analysis.find_change(chain, {heuristics}))[agreed["transaction_hash"].isin(puzzle)]["address"]',
        (
            Menu(
                "heuristics",
                "in the puzzle's transactions, the change named by",
                (
                    ("address type and round amount, both agreeing", '["address_type", "round_amount"], agree=2'),
                    ("address type and fresh address, both agreeing", '["address_type", "fresh_address"], agree=2'),
                    ("fresh address", '"fresh_address"'),
                    ("optimal change", '"optimal_change"'),
                ),
            ),
        ),
    ),
)

fingerprint_change = Exercise(
    MODULE,
    "fingerprint_change",
    title="change by its wallet fingerprint",
    objective="Identify a change output by the wallet fingerprint of the transaction that spends it.",
    task="put the address of the output of `example` whose spending transaction has the same wallet fingerprint as `example` itself (`payer`) in `fingerprint_change`.",
    answer=Text(what="the change output's address"),
    hints=[
        "The change went back to the payer's own wallet, so the transaction that later spent it shows the payer's habits. Compare each row's spender_fingerprint with payer.",
        'spent_by[spent_by["spender_fingerprint"] == payer] keeps the output(s) whose spender has the payer\'s fingerprint.',
    ],
    slips=[
        Slip(
            "spent_by['address'].iloc[-1]",
            "You took the last output. Some wallet programs always put the change last, but not all of them do: "
            "keep the output whose spending transaction shows the payer's fingerprint.",
        ),
        Slip(
            "spent_by[spent_by['spender_fingerprint'] != payer]['address'].iloc[0]",
            "You kept an output whose spender has a different fingerprint (!= instead of ==): that output went to "
            "another wallet, so it is a payment. Keep the one whose spender's fingerprint equals payer.",
        ),
    ],
    form=AnswerForm(
        "{output}",
        (
            Menu(
                "output",
                "the address of",
                (
                    (
                        "the output whose spender has the payer's fingerprint (==)",
                        'spent_by[spent_by["spender_fingerprint"] == payer]["address"].iloc[0]',
                    ),
                    (
                        "an output whose spender has another fingerprint (!=)",
                        'spent_by[spent_by["spender_fingerprint"] != payer]["address"].iloc[0]',
                    ),
                    ("the last output, where some wallets put the change", 'spent_by["address"].iloc[-1]'),
                ),
            ),
        ),
    ),
)

disputed_exchange = Exercise(
    MODULE,
    "disputed_exchange",
    title="two tags disagree",
    objective="Attribute a cluster from tags, weighing each tag's source, confidence and date.",
    task="put the name of the exchange that controls the cluster of `disputed` in `disputed_exchange`.",
    answer=Text(what="the exchange's name"),
    hints=[
        "Collect every tag on the cluster: the public tags and the team's notes. Then weigh them: a high-confidence explorer label, backed by many tags on other members, outweighs one low-confidence forum claim, however recent.",
        'members = clusters.members(disputed); look at tags[tags["address"].isin(members)] and at notes, with their source and confidence.',
    ],
    slips=[
        Slip(
            "notes.sort_values('noted_on')['label'].iloc[-1]",
            "You took the most recent tag. Newer is not better: that one is a low-confidence, user-submitted claim, and every other tag on the cluster disagrees with it.",
        ),
    ],
    form=AnswerForm(
        "{note}",
        (
            Menu(
                "note",
                "the exchange named by",
                (
                    ("the note whose confidence is high", 'notes[notes["confidence"] == "high"]["label"].iloc[0]'),
                    ("the most recent note", 'notes.sort_values("noted_on")["label"].iloc[-1]'),
                ),
            ),
        ),
    ),
)

vendor_exchange = Exercise(
    MODULE,
    "vendor_exchange",
    title="where the vendor cashes out",
    objective="Follow a vendor's payouts to an exchange and attribute it from the tags on the deposit address's cluster.",
    task="put the name of the exchange that `vendor` sends its coins to in `vendor_exchange`.",
    answer=Text(what="the exchange's name"),
    hints=[
        "Find the transaction that spends the vendor's coins, the address it pays, and that address's cluster: exchanges sweep their deposit addresses together, so the tags on the other members name the exchange.",
        'cash_out = inputs[inputs["address"] == vendor]["transaction_hash"]; deposit = outputs[outputs["transaction_hash"].isin(cash_out)]["address"].iloc[0]; then look at the tags on clusters.members(deposit).',
    ],
    slips=[
        Slip(
            "tags[tags['category'] == 'exchange']['label'].str.replace(' deposit', '').value_counts().index[0]",
            "You took the exchange with the most tags overall. Use only the tags on the cluster of the address the vendor's cash-out pays.",
        ),
    ],
    form=AnswerForm(
        '{tagged}["label"].str.replace(" deposit", "").value_counts().index[0]',
        (
            Menu(
                "tagged",
                "the exchange most often named by",
                (
                    (
                        "the tags on the cluster of the address the vendor's cash-out pays",
                        f'tags[tags["address"].isin(clusters.members({VENDOR_DEPOSIT}))]',
                    ),
                    ("the tags on the escrow's cluster", 'tags[tags["address"].isin(clusters.members(escrow))]'),
                    ("every exchange tag on the chain", 'tags[tags["category"] == "exchange"]'),
                ),
            ),
        ),
    ),
)

fresh_false_positive_rate = Exercise(
    MODULE,
    "fresh_false_positive_rate",
    title="how often is the fresh-address heuristic wrong?",
    objective="Measure a heuristic's false-positive rate against records that confirm the truth.",
    task="of the change outputs that the fresh-address heuristic names in the transactions of `payments`, put the percentage that are in fact confirmed payments in `fresh_false_positive_rate`.",
    answer=WholeNumber(what="the false-positive rate in percent, rounded"),
    hints=[
        "Only transactions the exchanges' records cover can be checked: keep the heuristic's answers in those transactions, then count how many of them are outputs the records confirm as payments.",
        'named = fresh[fresh["transaction_hash"].isin(payments["transaction_hash"])]; wrong = named.merge(payments, on=["transaction_hash", "index"]) keeps those that are confirmed payments.',
    ],
    slips=[
        Slip(
            "round(100 * len(wrong) / len(fresh))",
            "You divided by every change output the heuristic names on the whole chain. Most of them cannot be checked: divide by those in the transactions the records cover.",
        ),
        Slip(
            "round(100 * len(wrong) / len(payments))",
            "You divided by the number of confirmed payments. The false-positive rate is the share of the heuristic's answers that are wrong: divide by its answers in the covered transactions.",
        ),
        Slip(
            "round(100 * (len(named) - len(wrong)) / len(named))",
            "That is the share the records do not contradict (an upper bound on the precision), not the share that is wrong.",
        ),
    ],
    form=AnswerForm(
        "round(100 * {count} / {total})",
        (
            Menu(
                "count",
                "the percentage of",
                (
                    ("the heuristic's answers that are confirmed payments", FRESH_CONFIRMED_PAYMENTS),
                    (
                        "the heuristic's answers in covered transactions that are not confirmed payments",
                        f"({FRESH_COVERED} - {FRESH_CONFIRMED_PAYMENTS})",
                    ),
                ),
            ),
            Menu(
                "total",
                "out of",
                (
                    ("the heuristic's answers in the transactions the records cover", FRESH_COVERED),
                    ("every answer of the heuristic on the whole chain", "len(fresh)"),
                    ("the confirmed payments", "len(payments)"),
                ),
            ),
        ),
    ),
)
