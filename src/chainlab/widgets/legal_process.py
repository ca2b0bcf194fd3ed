"""Legal-process decision tree (introduced in 03_legal_and_regulatory): the facts of a request in, the instrument out."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..rules import legal

DATA_LABELS = {
    "who holds the account (subscriber, KYC)": "subscriber",
    "logins, deposits, withdrawals": "transactions",
    "messages (content)": "content",
}
GOAL_LABELS = {"keep it from being deleted": "preserve", "have it handed over": "obtain"}
PROVIDER_LABELS = {"in my country": "domestic", "abroad": "abroad"}


def route_html(**facts) -> str:
    """The instrument `chainlab.legal.legal_route` chooses for these facts, why, and on what basis, as HTML."""
    try:
        route = legal.legal_route(**facts)
    except (TypeError, ValueError) as problem:
        return f"<span style='color:#a61b1b'>{html.escape(str(problem))}</span>"
    return (
        f"<div><b style='font-size:1.1em'>{html.escape(route.instrument)}</b><br>{html.escape(route.why)}<br>"
        f"<small>Basis: {html.escape(route.basis)}. Checked {legal.CHECKED}; teaching material, not legal advice: "
        "your own country's law decides who may issue what. These instruments concern data: to stop funds moving you need "
        "a freezing, restraint or seizure order.</small></div>"
    )


def legal_process_tree() -> widgets.VBox:
    """Questions an investigator answers about a request for data to a VASP; the answer updates as they change."""
    style, buttons, whole = (
        {"description_width": "initial"},
        {"description_width": "initial", "button_width": "auto"},
        widgets.Layout(width="auto"),
    )
    life = widgets.Checkbox(description="a life is at risk right now", style=style, layout=whole)
    goal = widgets.ToggleButtons(options=list(GOAL_LABELS), description="I need the data", style=buttons)
    data = widgets.Dropdown(
        options=list(DATA_LABELS), description="what data", style=style, layout=widgets.Layout(width="60%")
    )
    provider = widgets.ToggleButtons(options=list(PROVIDER_LABELS), description="the VASP is", style=buttons)
    eu = widgets.Checkbox(description="both countries are EU member states", style=style, layout=whole)
    budapest = widgets.Checkbox(
        value=True, description="both are Parties to the Budapest Convention", style=style, layout=whole
    )
    protocol = widgets.Checkbox(
        description="the Second Additional Protocol is in force for both", style=style, layout=whole
    )
    reserved = widgets.Checkbox(description="one of them reserved Art. 7 of the Protocol", style=style, layout=whole)
    e_evidence = widgets.Checkbox(
        description="the provider offers communication, domain/IP or hosting services (e-evidence Regulation)",
        style=style,
        layout=whole,
    )
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = route_html(
            life_at_risk=life.value,
            goal=GOAL_LABELS[goal.value],
            data=DATA_LABELS[data.value],
            provider=PROVIDER_LABELS[provider.value],
            both_in_eu=eu.value,
            both_budapest_parties=budapest.value,
            protocol_in_force_for_both=protocol.value,
            article_7_reserved=reserved.value,
            e_evidence_provider=e_evidence.value,
        )

    controls = (life, goal, data, provider, eu, e_evidence, budapest, protocol, reserved)
    for control in controls:
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([*controls, result])
