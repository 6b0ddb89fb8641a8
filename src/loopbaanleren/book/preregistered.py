"""The ledger's column ``preregistered`` of a build checked against a preregistration, and how the book shows it.

>>> import pandas as pd
>>> ledger = with_column(pd.DataFrame({"id": ["a", "b"]}), {"a": AS_PREREGISTERED})
>>> [preregistered_nl(status) for status in ledger["preregistered"]]
['ja', 'nee: niet gepreregistreerd']
"""

from __future__ import annotations

import pandas as pd

AS_PREREGISTERED = "as preregistered"
"""A claim's status when it was analysed as preregistered (else ``deviation: `` and what differs)."""


def with_column(ledger: pd.DataFrame, preregistered: dict[str, str]) -> pd.DataFrame:
    """The ledger with the column ``preregistered`` (per claim: ``as preregistered`` or ``deviation: ...``) when
    the build was checked against a preregistration; unchanged otherwise."""
    if not preregistered:
        return ledger
    return ledger.assign(preregistered=[preregistered.get(i, "deviation: niet gepreregistreerd") for i in ledger["id"]])


def preregistered_nl(status: str) -> str:
    """A claim's ``preregistered`` value as the book shows it: "ja", or "nee: " and the deviation."""
    return "ja" if status == AS_PREREGISTERED else "nee: " + status.removeprefix("deviation: ")
