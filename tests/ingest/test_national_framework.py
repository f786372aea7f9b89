"""``patterns.national_framework_citations``: citations of the Children's Social Care National
Framework split off recommendation text, by number or by printed name."""
from __future__ import annotations

import pytest

from ingest.patterns import national_framework_citations


@pytest.mark.parametrize("printed, text, cites", [
    ("The quality of plans. (outcome 2, national framework)", "The quality of plans.", ["outcome 2"]),
    ("Oversight. (Enabler: the workforce is equipped and effective, National Framework)", "Oversight.", ["enabler 3"]),
    ("Visits (outcomes 1 and 3, national framework) (enabler 2, national framework)", "Visits",
     ["outcome 1", "outcome 3", "enabler 2"]),
    ("Plans (Outcome: something new, national framework)", "Plans", ["outcome: something new"]),
    ("No citation here (see the section on leaders).", "No citation here (see the section on leaders).", []),
])
def test_citations(printed, text, cites):
    assert national_framework_citations(printed) == (text, cites)
