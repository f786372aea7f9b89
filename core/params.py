"""A canned query's parameters: their declaration and the typed RDF term a request value becomes.

The types are listed in :mod:`core.canned`. A value that does not fit raises
:class:`ParameterError`, whose message is shown beside the form's field.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyoxigraph as ox

from . import iris, vocab
from .authorities import register

PARAM_TYPES = ("string", "integer", "date", "iri", "grade", "area", "authority", "region")
AREA_NS = vocab.AREA
XSD = vocab.XSD


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


def to_term(p: Param, raw: str, base_iri: str | None = None):
    """The RDF term that request value ``raw`` of parameter ``p`` is bound as.

    :param p: the parameter's declaration.
    :param raw: the request's text, stripped.
    :param base_iri: the base of data IRIs that names authorities (default: the ``BASE_IRI``
        setting; the server passes its app's).
    :return: a pyoxigraph ``Literal`` or ``NamedNode``.
    :raise ParameterError: ``raw`` is not one of the allowed values or does not fit the type.
    """
    if p.allowed and raw not in p.allowed and raw.lower() not in {a.lower() for a in p.allowed}:
        raise ParameterError(p.name, f"{raw!r} is not one of: {', '.join(p.allowed)}")
    if p.type == "authority":
        return authority_term(p.name, raw, base_iri)
    convert = CONVERTERS.get(p.type)
    if convert is None:
        raise ParameterError(p.name, f"unknown parameter type {p.type!r}")
    return convert(p.name, raw)


def text_term(name: str, raw: str) -> ox.Literal:
    """A plain literal of at most 200 characters (``string`` and ``region``)."""
    if len(raw) > 200:
        raise ParameterError(name, "is longer than 200 characters")
    return ox.Literal(raw)


def integer_term(name: str, raw: str) -> ox.Literal:
    """An ``xsd:integer`` of up to nine digits."""
    if not re.fullmatch(r"-?\d{1,9}", raw):
        raise ParameterError(name, f"{raw!r} is not a whole number")
    return ox.Literal(raw, datatype=ox.NamedNode(XSD + "integer"))


def date_term(name: str, raw: str) -> ox.Literal:
    """An ``xsd:date`` written YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(name, f"{raw!r} is not a date like 2017-06-13") from None
    return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))


def iri_term(name: str, raw: str) -> ox.NamedNode:
    """An absolute http(s) IRI."""
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
        raise ParameterError(name, f"{raw!r} is not an http(s) IRI")
    return ox.NamedNode(raw)


def grade_term(name: str, raw: str) -> ox.Literal:
    """A grade word (or rank 1-4) as its rank, an ``xsd:integer``."""
    key = raw.strip()
    rank = int(key) if key.isdigit() and 1 <= int(key) <= 4 else vocab.grade_rank(key)
    if rank is None:
        raise ParameterError(name, f"{raw!r} is not a grade (Outstanding, Good, "
                                   "Requires improvement, Adequate, Inadequate)")
    return ox.Literal(str(rank), datatype=ox.NamedNode(XSD + "integer"))


def area_term(name: str, raw: str) -> ox.NamedNode:
    """An area key or label as the IRI of its concept."""
    key = raw.strip().lower().replace("/", "-")
    key = re.sub(r"[^a-z0-9-]+", "-", key).strip("-")
    if not key:
        raise ParameterError(name, f"{raw!r} is not an area")
    return ox.NamedNode(AREA_NS + key)


def authority_term(name: str, raw: str, base_iri: str | None = None) -> ox.NamedNode:
    """A GSS code or an authority's name as the authority's IRI under ``base_iri``."""
    if re.fullmatch(r"E\d{8}", raw):
        return ox.NamedNode(iris.authority(raw, base_iri))
    found = register().lookup(raw)
    if found is None:
        raise ParameterError(name, f"no authority called {raw!r}")
    return ox.NamedNode(iris.authority(found.gss_code, base_iri))


CONVERTERS = {"string": text_term, "region": text_term, "integer": integer_term, "date": date_term,
              "iri": iri_term, "grade": grade_term, "area": area_term}
