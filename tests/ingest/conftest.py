"""Fixtures the SIF reading tests share: the Bristol 2014 seed as the reader gives it, and as
the SIF parser reads it, made once per test module (tests edit copies with ``dataclasses.replace``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.frameworks.sif import parse
from ingest.normalise import normalise
from ingest.readers import read

BRISTOL_SIF = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt"


@pytest.fixture(scope="module")
def bristol():
    """The Bristol 2014 SIF seed, read and normalised (a module may define its own ``bristol``)."""
    return normalise(read(BRISTOL_SIF))


@pytest.fixture(scope="module")
def original(bristol):
    """The seed as the SIF parser reads it: what an edited copy is compared with."""
    return parse(bristol)
