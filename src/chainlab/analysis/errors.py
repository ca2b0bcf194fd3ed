"""The one error the analysis toolkit raises for bad input: its message says what was wrong and how to fix it."""


class AnalysisInputError(ValueError):
    """An address, transaction, table or setting the analysis cannot use, with a plain-language reason."""
