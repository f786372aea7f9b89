"""Canned queries: ``<name>.rq`` (SPARQL) beside ``<name>.toml`` (metadata), loaded once.

Metadata keys: ``title``, ``description``, ``theme``, optional ``chart`` and ``[[params]]``
with ``name`` (the SPARQL variable, without ``?``), ``type``, ``default``, ``example``,
``description``, ``required`` and, for enumerations, ``allowed``. Parameters reach the query as
typed RDF terms through pyoxigraph substitutions (SEP-0007), never spliced into the text.

Parameter types:

=========== ================================================ ==========================
type        accepts                                          bound as
=========== ================================================ ==========================
string      any text                                         plain literal
integer     digits                                           xsd:integer
date        YYYY-MM-DD                                       xsd:date
iri         an absolute http(s) IRI                          IRI
grade       a grade word (Outstanding, Good, Adequate,       xsd:integer rank 1-4
            Requires improvement [to be good], Inadequate)
area        an area key (``care-leavers``) or its label      IRI of the area concept
authority   a GSS code (E06000023) or a name                 IRI of the authority
region      a region name                                    plain literal
=========== ================================================ ==========================
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from core import vocab

HERE = Path(__file__).parent
PARAM_TYPES = ("string", "integer", "date", "iri", "grade", "area", "authority", "region")
AREA_NS = vocab.AREA
XSD = vocab.XSD


class QueryDefinitionError(Exception):
    """A canned query whose files or metadata are wrong (stops start-up)."""


class ParameterError(ValueError):
    """A request value that does not fit a parameter; the message is shown on the form."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None
    example: str | None = None
    required: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    theme: str
    sparql: str
    params: tuple[Param, ...] = ()
    chart: dict | None = None
    hide: tuple[str, ...] = ()

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Variables projected only so that parameters can be bound (pyoxigraph substitutions
        need them in the projection) and helper columns such as ``order``: not shown."""
        return frozenset(p.name for p in self.params) | frozenset(self.hide)

    def columns(self, variables: list[str]) -> list[str]:
        return [v for v in variables if v not in self.hidden_columns]

    def bindings(self, values: dict[str, str], base_iri: str | None = None) -> dict[ox.Variable, object]:
        """Typed substitutions for the request ``values`` (defaults fill the gaps).

        :param base_iri: the base of data IRIs that names authorities (default: the
            ``BASE_IRI`` setting; the server passes its app's ``BASE_IRI``).
        :raise ParameterError: a value that does not fit its parameter's type.
        """
        out: dict[ox.Variable, object] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or str(raw).strip() == "":
                raw = p.default
            if raw is None or str(raw).strip() == "":
                if p.required:
                    raise ParameterError(p.name, "a value is required")
                continue
            out[ox.Variable(p.name)] = to_term(p, str(raw).strip(), base_iri)
        return out


def to_term(p: Param, raw: str, base_iri: str | None = None):
    """The RDF term a request value stands for under parameter ``p``'s type.

    :param base_iri: the base of data IRIs for ``authority`` parameters (default: the setting).
    :raise ParameterError: a value that does not fit.
    """
    if p.allowed and raw not in p.allowed and raw.lower() not in {a.lower() for a in p.allowed}:
        raise ParameterError(p.name, f"{raw!r} is not one of: {', '.join(p.allowed)}")
    if p.type in ("string", "region"):
        if len(raw) > 200:
            raise ParameterError(p.name, "is longer than 200 characters")
        return ox.Literal(raw)
    if p.type == "integer":
        if not re.fullmatch(r"-?\d{1,9}", raw):
            raise ParameterError(p.name, f"{raw!r} is not a whole number")
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "date":
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise ParameterError(p.name, f"{raw!r} is not a date like 2017-06-13") from None
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
    if p.type == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
            raise ParameterError(p.name, f"{raw!r} is not an http(s) IRI")
        return ox.NamedNode(raw)
    if p.type == "grade":
        key = raw.strip()
        rank = int(key) if key.isdigit() and 1 <= int(key) <= 4 else vocab.grade_rank(key)
        if rank is None:
            raise ParameterError(p.name, f"{raw!r} is not a grade (Outstanding, Good, "
                                         "Requires improvement, Adequate, Inadequate)")
        return ox.Literal(str(rank), datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "area":
        key = raw.strip().lower().replace("/", "-")
        key = re.sub(r"[^a-z0-9-]+", "-", key).strip("-")
        if not key:
            raise ParameterError(p.name, f"{raw!r} is not an area")
        return ox.NamedNode(AREA_NS + key)
    if p.type == "authority":
        from ingest import iris
        from ingest.authorities import register
        if re.fullmatch(r"E\d{8}", raw):
            return ox.NamedNode(iris.authority(raw, base_iri))
        found = register().lookup(raw)
        if found is None:
            raise ParameterError(p.name, f"no authority called {raw!r}")
        return ox.NamedNode(iris.authority(found.gss_code, base_iri))
    raise ParameterError(p.name, f"unknown parameter type {p.type!r}")


def _load_one(rq: Path) -> CannedQuery:
    meta_path = rq.with_suffix(".toml")
    if not meta_path.exists():
        raise QueryDefinitionError(f"{rq.name}: no metadata file {meta_path.name}")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise QueryDefinitionError(f"{meta_path.name}: {exc}") from None
    for key in ("title", "description", "theme"):
        if not meta.get(key):
            raise QueryDefinitionError(f"{meta_path.name}: '{key}' is missing")
    params = []
    sparql = rq.read_text(encoding="utf-8")
    for p in meta.get("params", []):
        if p.get("type") not in PARAM_TYPES:
            raise QueryDefinitionError(f"{meta_path.name}: param {p.get('name')!r} has type "
                                       f"{p.get('type')!r}; expected one of {PARAM_TYPES}")
        if not re.search(rf"[?$]{re.escape(p['name'])}\b", sparql):
            raise QueryDefinitionError(f"{meta_path.name}: param {p['name']!r} is not a variable of the query")
        if not p.get("description"):
            raise QueryDefinitionError(f"{meta_path.name}: param {p['name']!r} has no description")
        params.append(Param(name=p["name"], type=p["type"], description=p["description"],
                            default=p.get("default"), example=p.get("example", p.get("default")),
                            required=bool(p.get("required", False)),
                            allowed=tuple(p.get("allowed", ()))))
    return CannedQuery(name=rq.stem, title=meta["title"], description=meta["description"],
                       theme=meta["theme"], sparql=sparql, params=tuple(params),
                       chart=meta.get("chart"), hide=tuple(meta.get("hide", ())))


@functools.cache
def load_all(folder: str | None = None) -> dict[str, CannedQuery]:
    """Every canned query in ``folder`` (default: this package), by name.

    :raise QueryDefinitionError: a query without metadata or with bad metadata.
    """
    base = Path(folder) if folder else HERE
    queries = {rq.stem: _load_one(rq) for rq in sorted(base.glob("*.rq"))}
    return queries


def get(name: str) -> CannedQuery | None:
    return load_all().get(name)


FLAT = HERE / "flat"


def full_text(name: str) -> str | None:
    """The full query behind a canned query that reads the flat graph, or None for others.

    ``flat/<name>.rq`` is what ingest runs to write the flat graph's rows (:mod:`ingest.flat`); a
    remote store has no flat graph (ingest writes it only into an embedded store), so a server on
    a remote store runs this text instead of the canned star pattern.
    """
    path = FLAT / f"{name}.rq"
    return path.read_text(encoding="utf-8") if path.exists() else None
