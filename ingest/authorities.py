"""The authority register: printed authority names -> one ``Authority`` keyed by GSS code.

Reports name authorities many ways ("Bristol City Council", "City of Bristol", "City of
Bradford Metropolitan District Council", "Bath and North East Somerset (B&NES)"). Names are
matched after normalisation (case, punctuation, "&", and generic words such as "council",
"metropolitan borough"), never on an acronym alone.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .model import IngestError

DATA = Path(__file__).parent / "data"
_GENERIC = re.compile(
    r"\b(the|council|county|city|of|metropolitan|district|borough|royal|london|corporation|"
    r"unitary|authority|ua|mbc|mdc|cc|bc)\b")


@dataclass(frozen=True)
class Authority:
    gss_code: str
    name: str
    short_name: str
    type: str
    region: str
    start_date: str
    end_date: str
    replaced_by_gss: str
    la_number: str
    alt_names: tuple[str, ...]


def _norm(name: str) -> str:
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"\(.*?\)", " ", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    return " ".join(s.split())


def _core(name: str) -> str:
    return " ".join(_GENERIC.sub(" ", _norm(name)).split())


class Register:
    def __init__(self, authorities: list[Authority]):
        self.by_gss = {a.gss_code: a for a in authorities}
        self._exact: dict[str, set[str]] = {}
        self._core: dict[str, set[str]] = {}
        for a in authorities:
            for n in (a.name, a.short_name, *a.alt_names):
                self._exact.setdefault(_norm(n), set()).add(a.gss_code)
                core = _core(n)
                if len(core) >= 4 and core not in ("and", "upon"):
                    self._core.setdefault(core, set()).add(a.gss_code)

    def __len__(self) -> int:
        return len(self.by_gss)

    def __iter__(self):
        return iter(self.by_gss.values())

    def lookup(self, name: str) -> Authority | None:
        """The authority a printed name means, or None when unknown or ambiguous."""
        for key, index in ((_norm(name), self._exact), (_core(name), self._core)):
            hits = index.get(key)
            if hits and len(hits) == 1:
                return self.by_gss[next(iter(hits))]
        # a printed name with extra words ("Bristol City Council children's services")
        core = _core(name)
        candidates = {g for k, gs in self._core.items() if k and re.search(rf"\b{re.escape(k)}\b", core)
                      for g in gs}
        if len(candidates) > 1:
            longest = max(len(k) for k, gs in self._core.items() if gs & candidates
                          and re.search(rf"\b{re.escape(k)}\b", core))
            candidates = {g for k, gs in self._core.items() if len(k) == longest
                          and re.search(rf"\b{re.escape(k)}\b", core) for g in gs}
        if len(candidates) == 1:
            return self.by_gss[next(iter(candidates))]
        return None

    def resolve(self, name: str, path: str) -> Authority:
        """Like ``lookup`` but an unknown name is a clear ``IngestError`` naming file and name."""
        found = self.lookup(name)
        if found is None:
            raise IngestError(path, f"authority {name!r} is not in the register "
                                    f"(ingest/data/authorities.csv)")
        return found


def _load(path: Path) -> list[Authority]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [Authority(
            gss_code=r["gss_code"], name=r["name"], short_name=r["short_name"], type=r["type"],
            region=r["region"], start_date=r["start_date"], end_date=r["end_date"],
            replaced_by_gss=r["replaced_by_gss"], la_number=r["la_number"],
            alt_names=tuple(a for a in r["alt_names"].split("|") if a),
        ) for r in csv.DictReader(fh)]


@functools.cache
def register() -> Register:
    """The project's register (loaded once)."""
    return Register(_load(DATA / "authorities.csv") + _load(DATA / "authorities-extra.csv"))
