"""The authority register: printed authority names -> one ``Authority`` keyed by GSS code.

Reports name authorities many ways ("Bristol City Council", "City of Bristol", "City of
Bradford Metropolitan District Council", "Bath and North East Somerset (B&NES)", "East Riding",
"Trafford Council's children's services"). Names are matched after normalisation (case,
punctuation, "&", and generic words such as "council", "metropolitan borough"), never on an
acronym alone. A name matches the council it *is*, never one that occurs inside another name:
"Bristol Cathedral Choir School" and "Surrey Police" are not councils. Where one name has meant
two councils ("North Yorkshire": the county until 31 March 2023, the unitary council since),
the date of the document decides.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path


DATA = Path(__file__).parent / "data"
_GENERIC = re.compile(
    r"\b(the|council|county|city|of|metropolitan|district|borough|royal|london|corporation|"
    r"unitary|authority|ua|mbc|mdc|cc|bc)\b")
#: words a printed name may add to an authority's name and still mean the council itself
#: ("Sandwell Children's Trust", "Knowsley Metropolitan Borough Council Children's services")
_SERVICE_WORDS = frozenset(
    "the council county city of metropolitan district borough corporation unitary authority local "
    "ua mbc mdc cc bc s children childrens young people and families services service social care "
    "trust first directorate department for".split())


#: where a register row comes from (``dcterms:source`` of the authority)
MYSOCIETY = "UK Local Authority Names and Codes, mySociety, CC BY 4.0"
OFSTED_TABLES = ("UK Local Authority Names and Codes, mySociety, CC BY 4.0, with dates and successors from "
                 "Ofsted's local authority inspection outcome tables (Open Government Licence v3.0) "
                 "and LA numbers from DfE's statistical neighbours table")


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
    source: str = MYSOCIETY


def normal_name(name: str) -> str:
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"\(.*?\)", " ", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    return " ".join(s.split())


def core_name(name: str) -> str:
    return " ".join(_GENERIC.sub(" ", normal_name(name)).split())


def _bare(name: str) -> str:
    """A printed name without a leading "the" and trailing service words ("Southwark local
    authority", "Trafford Council's", "Sandwell Children's Trust")."""
    words = normal_name(name).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SERVICE_WORDS:
        words = words[:-1]
    return " ".join(words)


def alive(a: "Authority", on: dt.date | None) -> bool:
    """Whether the register says ``a`` existed on the day ``on`` (None: whether it exists now)."""
    if on is None:
        return not a.end_date
    day = on.isoformat()
    return (not a.end_date or day <= a.end_date) and (not a.start_date or a.start_date <= day)


class Register:
    def __init__(self, authorities: list[Authority]):
        self.by_gss = {a.gss_code: a for a in authorities}
        self._exact: dict[str, set[str]] = {}
        self._core: dict[str, set[str]] = {}
        for a in authorities:
            for n in (a.name, a.short_name, *a.alt_names):
                if n.lower().strip() in ("city of", "county of"):   # fragments in the source
                    continue
                self._exact.setdefault(normal_name(n), set()).add(a.gss_code)
                core = core_name(n)
                if len(core) >= 4 and core not in ("and", "upon"):
                    self._core.setdefault(core, set()).add(a.gss_code)

    def __len__(self) -> int:
        return len(self.by_gss)

    def __iter__(self):
        return iter(self.by_gss.values())

    def _one(self, hits: set[str] | None, on: dt.date | None) -> Authority | None:
        """The one authority among ``hits``: on a date, the one in existence then; else the
        one still in existence."""
        if not hits:
            return None
        found = [self.by_gss[g] for g in hits]
        if len(found) > 1:
            found = [a for a in found if alive(a, on)] or found
        return found[0] if len(found) == 1 else None

    def lookup(self, name: str, on: dt.date | None = None) -> Authority | None:
        """The authority a printed name means, or None when unknown or ambiguous.

        :param name: the name as printed.
        :param on: the date of the document, which decides between two councils of one name.
        """
        answers = [self._one(index.get(key), on) for key, index in (
            (normal_name(name), self._exact), (_bare(name), self._exact),
            (core_name(name), self._core), (core_name(_bare(name)), self._core))]
        answers = [a for a in answers if a is not None]
        if not any(alive(a, on) for a in answers) if on else not answers:
            answers += filter(None, [self._one(self._within(name), on)])
        if on:   # "Dorset" in 2017 is the county council, though only the unitary is named so
            answers = [a for a in answers if alive(a, on)] or answers
        return answers[0] if answers else None

    def _within(self, name: str) -> set[str]:
        """Authorities named inside a printed name with extra words ("Bristol City Council
        children's services"): the longest name it contains, when every other word is a
        service word (so never "Bristol Cathedral Choir School" or "Surrey Police")."""
        words = normal_name(name).split()
        best: tuple[int, set[str]] = (0, set())
        for key, gss in self._core.items():
            k = key.split()
            for i in range(len(words) - len(k) + 1):
                if words[i:i + len(k)] == k and all(w in _SERVICE_WORDS for w in words[:i] + words[i + len(k):]):
                    if len(k) > best[0]:
                        best = (len(k), set(gss))
                    elif len(k) == best[0]:
                        best[1].update(gss)
        return best[1]


def _load(path: Path, source: str = MYSOCIETY) -> list[Authority]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [Authority(
            gss_code=r["gss_code"], name=r["name"], short_name=r["short_name"], type=r["type"],
            region=r["region"], start_date=r["start_date"], end_date=r["end_date"],
            replaced_by_gss=r["replaced_by_gss"], la_number=r["la_number"],
            alt_names=tuple(a for a in r["alt_names"].split("|") if a), source=source,
        ) for r in csv.DictReader(fh)]


@functools.cache
def register() -> Register:
    """The project's register (loaded once)."""
    rows = _load(DATA / "authorities.csv") + _load(DATA / "authorities-extra.csv", OFSTED_TABLES)
    return Register(_with_aliases(rows, DATA / "authorities-aliases.csv"))


def _with_aliases(authorities: list[Authority], path: Path) -> list[Authority]:
    """Add the short names reports use ("East Riding", "Hull") to their authorities' names."""
    if not path.exists():
        return authorities
    extra: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            extra.setdefault(r["gss_code"], []).append(r["alias"])
    return [replace(a, alt_names=a.alt_names + tuple(extra[a.gss_code])) if a.gss_code in extra else a
            for a in authorities]
