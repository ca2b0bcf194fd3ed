"""Exercises of 05_tracing_the_money: hops, the total ransom, the peel chain, taint at an exchange, the three models compared."""

from ..chain.units import MAX_BTC
from .answer_widgets import AnswerForm, Menu
from .answers import Amount, LabelSet, Text
from .core import Exercise, Slip

MODULE = "05"
BTC_OR_SATOSHI = (("in BTC: divided by SATOSHI_PER_BTC", " / SATOSHI_PER_BTC"), ("in satoshi, as the chain counts", ""))
# the steps of our chain, the one the trace from start goes through (the solution's steps 1 and 2)
OUR_CHAIN = 'chains[chains["chain"] == chains.loc[chains["transaction_hash"].isin(forward["transaction_hash"]), "chain"].iloc[0]]'

reached_within_3 = Exercise(
    MODULE,
    "reached_within_3",
    title="the addresses reached within 3 hops",
    objective="Trace funds forward through the transaction graph, counting hops.",
    task="trace forward from `start` for **3 hops** and put every address the trace reached in `reached_within_3`.",
    answer=LabelSet(what="addresses"),
    hints=[
        "A forward trace from the start lists every coin paid by the transactions it passed; 3 hops means at most 3 transactions deep.",
        'Use cl.analysis.trace(graph, addresses=start, direction="forward", hops=3), as in the example above with hops=2.',
    ],
    slips=[
        Slip(
            'cl.analysis.trace(graph, addresses=start, hops=4)["address"].unique()',
            "Your list reaches one hop too far: it has the addresses of 4 hops. Set hops=3: hop 1 is the first transaction that spends the start's coins.",
        ),
        Slip(
            'cl.analysis.trace(graph, addresses=start, hops=2)["address"].unique()',
            "Your list stops one hop short: it has the addresses of 2 hops. Set hops=3.",
        ),
        Slip(
            'list(cl.analysis.trace(graph, addresses=start, hops=3)["address"].unique()) + [start]',
            "Your list also holds the start address itself. The question asks for the addresses the money reached from it: leave `start` out.",
        ),
        Slip(
            'cl.analysis.trace(graph, addresses=start, direction="backward", hops=3)["address"].unique()',
            'Your list goes backward, to who paid the start. Follow the money forward, to where it went: direction="forward".',
        ),
    ],
    form=AnswerForm(
        'list(cl.analysis.trace(graph, addresses=start, direction={direction}, hops={hops})["address"].unique()){start}',
        (
            Menu(
                "direction",
                "trace",
                (("forward: where the money went", '"forward"'), ("backward: where it came from", '"backward"')),
            ),
            Menu("hops", "for", tuple((f"{n} hops" if n > 1 else "1 hop", str(n)) for n in range(1, 6))),
            Menu(
                "start",
                "and keep",
                (
                    ("the addresses the trace reached", ""),
                    ("those and the start address itself", " + [start]"),
                ),
            ),
        ),
    ),
)

total_ransom_btc = Exercise(
    MODULE,
    "total_ransom_btc",
    title="the total ransom received",
    objective="Trace backward from a consolidation to every payment it gathered, and total what the ransom addresses received.",
    task="add up the value of the coins the consolidation gathered (the rows of `payers`), and put the total **in BTC** in `total_ransom_btc`.",
    answer=Amount(unit="BTC", minimum=0, maximum=MAX_BTC),
    hints=[
        "Each row of payers is one ransom coin that the consolidation spent: its value is what that ransom address received, in satoshi.",
        'Add up the "value" column of payers with .sum(); that total is in satoshi.',
    ],
    slips=[
        Slip(
            'payers["value"].sum()',
            "That is the total in satoshi. The answer is asked in BTC: divide by SATOSHI_PER_BTC.",
        ),
        Slip(
            'ransoms["value_usd"].sum()',
            "That is the total in US dollars, at each payment's hour. The answer is asked in BTC, the amount the chain records.",
        ),
        Slip(
            'forward.loc[forward["hop"] == 1, "value"].sum() / SATOSHI_PER_BTC',
            "That is the consolidated coin: what the consolidation paid out, after its fee. Add up what it gathered, the coins in payers.",
        ),
        Slip(
            '(payers["value"].sum() + forward.loc[forward["hop"] == 1, "value"].sum()) / SATOSHI_PER_BTC',
            "Your total counts the same money twice: once in the ransom coins and again in the consolidated coin made from them. Add up the ransom coins only.",
        ),
        Slip(
            'cl.analysis.trace(graph, addresses=pool, direction="backward", hops=2)["value"].sum() / SATOSHI_PER_BTC',
            "Your total goes back 2 hops, so it also counts the coins the victims paid the ransoms with: the same money again, plus their change. Use hops=1.",
        ),
        Slip(
            'complaint["claimed_value"] / SATOSHI_PER_BTC',
            "That is one victim's ransom, the one who complained. The consolidation gathered every victim's payment: add up all the rows of payers.",
        ),
    ],
    form=AnswerForm(
        "{coins}{unit}",
        (
            Menu(
                "coins",
                "add up",
                (
                    ("the coins the consolidation gathered (payers)", 'payers["value"].sum()'),
                    (
                        "the coin the consolidation paid out (hop 1 of forward)",
                        'forward.loc[forward["hop"] == 1, "value"].sum()',
                    ),
                    (
                        "both: the coins gathered and the coin paid out",
                        '(payers["value"].sum() + forward.loc[forward["hop"] == 1, "value"].sum())',
                    ),
                    (
                        "every coin 2 hops back from the pool",
                        'cl.analysis.trace(graph, addresses=pool, direction="backward", hops=2)["value"].sum()',
                    ),
                    ("the ransom in the complaint (claimed_value)", 'complaint["claimed_value"]'),
                    ("the ransoms in US dollars (value_usd of ransoms)", 'ransoms["value_usd"].sum()'),
                ),
            ),
            Menu("unit", "and give it", BTC_OR_SATOSHI),
        ),
    ),
)

peel_chain_end = Exercise(
    MODULE,
    "peel_chain_end",
    title="where the peel chain ends",
    objective="Recognise a peel chain and find where it ends.",
    task="pick, from `chains`, the peel chain that the trace from `start` goes through, and put the hash of the transaction that spends its **last remainder** (where the chain ends) in `peel_chain_end`.",
    answer=Text(what="the transaction hash", length=64),
    hints=[
        "First find which chain number our case's peel steps have: they are transactions that the forward trace from start passed through.",
        'ours = chains.loc[chains["transaction_hash"].isin(forward["transaction_hash"]), "chain"].iloc[0]; then keep chains[chains["chain"] == ours].',
    ],
    slips=[
        Slip(
            'peel_chain["transaction_hash"].iloc[-1]',
            "That is the chain's last peel step. The chain ends in the transaction that spends that step's remainder: use cl.analysis.chain_end.",
        ),
        Slip(
            'peel_chain["transaction_hash"].iloc[0]',
            "That is the chain's first peel step. The question asks where the chain ends: use cl.analysis.chain_end.",
        ),
        Slip(
            'cl.analysis.chain_end(graph, chains[chains["chain"] == 1])["transaction_hash"].iloc[0]',
            "That is where the example's chain (chain 1) ends. Pick the chain that the trace from start goes through.",
        ),
    ],
    form=AnswerForm(
        "{transaction}",
        (
            Menu(
                "transaction",
                "the hash of",
                (
                    (
                        "where our chain ends: the transaction that spends its last remainder",
                        f'cl.analysis.chain_end(graph, {OUR_CHAIN})["transaction_hash"].iloc[0]',
                    ),
                    ("our chain's last peel step", f'{OUR_CHAIN}["transaction_hash"].iloc[-1]'),
                    ("our chain's first peel step", f'{OUR_CHAIN}["transaction_hash"].iloc[0]'),
                    (
                        "where the example's chain, chain 1, ends",
                        'cl.analysis.chain_end(graph, chains[chains["chain"] == 1])["transaction_hash"].iloc[0]',
                    ),
                ),
            ),
        ),
    ),
)

haircut_at_exchange = Exercise(
    MODULE,
    "haircut_at_exchange",
    title="haircut taint reaching Meridian Vault",
    objective="Compute how much of a victim's payment reaches an exchange under the haircut taint model.",
    task="with the haircut model, spread the taint of `start`'s coins for `HOPS` hops, stopping at `exchanges`, and put the tainted amount that reaches **Meridian Vault**'s addresses, **in BTC**, in `haircut_at_exchange`.",
    answer=Amount(unit="BTC", minimum=0, maximum=MAX_BTC),
    hints=[
        'Do what the example did for poison, with model="haircut", and keep only the rows whose address belongs to Meridian Vault.',
        'haircut = cl.analysis.taint(graph, addresses=start, model="haircut", hops=HOPS, stop_at=exchanges); the rows at Meridian Vault are haircut[haircut["address"].map(exchanges) == "Meridian Vault"].',
    ],
    slips=[
        Slip(
            'cl.analysis.taint(graph, addresses=start, model="fifo", hops=HOPS, stop_at=exchanges)'
            '.pipe(lambda t: t[t["address"].map(exchanges) == "Meridian Vault"]["tainted_value"].sum()) / SATOSHI_PER_BTC',
            'That is the FIFO amount. The question asks for haircut: model="haircut".',
        ),
        Slip(
            'poison[poison["address"].map(exchanges) == "Meridian Vault"]["tainted_value"].sum() / SATOSHI_PER_BTC',
            'That is the poison amount, which is also the whole value of the coins that reached Meridian Vault. The question asks for haircut: model="haircut".',
        ),
        Slip(
            'haircut[haircut["address"].isin(exchanges.index)]["tainted_value"].sum() / SATOSHI_PER_BTC',
            "Your total adds up every exchange. Keep only the rows whose address belongs to Meridian Vault.",
        ),
        Slip(
            'cl.analysis.taint(graph, addresses=start, model="haircut", hops=HOPS)'
            '.pipe(lambda t: t[t["address"].map(exchanges) == "Meridian Vault"]["tainted_value"].sum()) / SATOSHI_PER_BTC',
            "Your taint did not stop at the exchanges, so it also counts the exchange's own later payments and change: the same taint again. Add stop_at=exchanges.",
        ),
        Slip(
            'haircut[haircut["address"].map(exchanges) == "Meridian Vault"]["tainted_value"].sum()',
            "That is the amount in satoshi. The answer is asked in BTC: divide by SATOSHI_PER_BTC.",
        ),
    ],
    form=AnswerForm(
        "cl.analysis.compare_models(graph, addresses=start, hops=HOPS{stop}, at={where})[{model}].sum(){unit}",
        (
            Menu("model", "the taint model", tuple((model, f'"{model}"') for model in ("poison", "haircut", "fifo"))),
            Menu(
                "stop",
                "the trace",
                (("stops at the exchanges", ", stop_at=exchanges"), ("follows the money through the exchanges", "")),
            ),
            Menu(
                "where",
                "add up the taint at",
                (
                    ("Meridian Vault's addresses", 'exchanges[exchanges == "Meridian Vault"].index'),
                    ("every exchange's addresses", "exchanges.index"),
                ),
            ),
            Menu("unit", "and give it", BTC_OR_SATOSHI),
        ),
    ),
)

poison_excess_btc = Exercise(
    MODULE,
    "poison_excess_btc",
    title="poison, haircut and FIFO side by side",
    objective="Compare the poison, haircut and FIFO taint models on the same case, and explain why they differ.",
    task="from `compared`, total each model over all the exchange addresses, and put **how many BTC more the poison model counts than the haircut model** in `poison_excess_btc`.",
    answer=Amount(unit="BTC", minimum=0, maximum=MAX_BTC),
    hints=[
        "compared has one row per exchange address and one column per model, in satoshi: total the poison column and the haircut column.",
        'compared["poison"].sum() and compared["haircut"].sum() are the two totals; the answer is the first minus the second.',
    ],
    slips=[
        Slip(
            '(compared["poison"].sum() - compared["fifo"].sum()) / SATOSHI_PER_BTC',
            'You took FIFO away from poison. The question compares poison with haircut: use the "haircut" column.',
        ),
        Slip(
            'compared["poison"].sum() / SATOSHI_PER_BTC',
            "That is the poison total alone. The question asks how much more it is than the haircut total: subtract that.",
        ),
        Slip(
            '(compared.loc[compared["address"].map(exchanges) == "Meridian Vault", "poison"].sum()'
            ' - compared.loc[compared["address"].map(exchanges) == "Meridian Vault", "haircut"].sum()) / SATOSHI_PER_BTC',
            "Your answer covers Meridian Vault only. Total each model over every exchange address in compared.",
        ),
        Slip(
            "cl.analysis.compare_models(graph, addresses=start, hops=HOPS, at=exchanges.index)"
            '.pipe(lambda t: t["poison"].sum() - t["haircut"].sum()) / SATOSHI_PER_BTC',
            "Your comparison did not stop at the exchanges, so it also counts the exchanges' own later payments. Use compared, built with stop_at=exchanges.",
        ),
        Slip(
            'compared["poison"].sum() - compared["haircut"].sum()',
            "That is the difference in satoshi. The answer is asked in BTC: divide by SATOSHI_PER_BTC.",
        ),
    ],
    form=AnswerForm(
        '({rows}["poison"].sum() - {rows}[{other}].sum()){unit}',
        (
            Menu(
                "rows",
                "total over",
                (
                    ("every exchange address in compared", "compared"),
                    ("Meridian Vault's addresses in compared", 'compared[compared["exchange"] == "Meridian Vault"]'),
                    (
                        "a comparison that does not stop at the exchanges",
                        "cl.analysis.compare_models(graph, addresses=start, hops=HOPS, at=exchanges.index)",
                    ),
                ),
            ),
            Menu("other", "poison minus", (("haircut", '"haircut"'), ("FIFO", '"fifo"'))),
            Menu("unit", "and give it", BTC_OR_SATOSHI),
        ),
    ),
)
