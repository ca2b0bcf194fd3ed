"""The interactive explorers the notebooks show (ipywidgets)."""

from .account_explorer import account_explorer  # noqa: F401
from .address_validator import address_validator  # noqa: F401
from .cluster_explorer import cluster_explorer, heuristics_explorer  # noqa: F401
from .filter_panel import filter_panel  # noqa: F401
from .hash_avalanche import hash_avalanche  # noqa: F401
from .legal_process import legal_process_tree  # noqa: F401
from .request_builder import request_builder  # noqa: F401
from .rule_tuner import rule_tuner  # noqa: F401
from .seed_phrase import seed_phrase_checker  # noqa: F401
from .tamper_chain import tamper_chain  # noqa: F401
from .token_flow_explorer import token_flow_explorer  # noqa: F401
from .trace_explorer import trace_explorer  # noqa: F401
from .travel_rule import travel_rule_helper  # noqa: F401
from .typology_fingerprints import typology_fingerprints  # noqa: F401
