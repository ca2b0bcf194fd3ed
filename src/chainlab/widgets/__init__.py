"""The interactive explorers the notebooks show (ipywidgets)."""

from .filter_panel import filter_panel  # noqa: F401
from .address_validator import address_validator  # noqa: F401
from .hash_avalanche import hash_avalanche  # noqa: F401
from .tamper_chain import tamper_chain  # noqa: F401
