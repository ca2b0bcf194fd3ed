"""A complete production request for module 09's case, as the desk accepts it; tests change one field at a time."""

from chainlab.desk import RECORDS


def complete_request(case, **changes) -> dict:
    """Every field the request builder asks for, filled in for `case` (a `chainlab.cases.m09.Case`), then `changes`."""
    fields = dict(
        exchange=case.exchange,
        request_type="production",
        legal_basis="Production order 2024/311, Court of Example",
        case_reference="GO-2024-07",
        identifiers=case.suspect_address,
        date_from=case.first_day,
        date_to=case.last_day,
        data_requested=list(RECORDS),
        urgency_reason="",
    )
    return {**fields, **changes}
