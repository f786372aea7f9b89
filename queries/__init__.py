"""Canned queries: ``<name>.rq`` (SPARQL) beside ``<name>.toml`` (metadata).

This folder is data. The one loader, which checks each query as it loads, is
:mod:`server.canned` (metadata keys and parameter types are listed there); the names below are
re-exported from it for the command line and older callers.
"""
from server.canned import (PARAM_TYPES, CannedQuery, Param, ParameterError,  # noqa: F401
                           QueryDefinitionError, get, load_all, to_term)
from server.params import GRADE_RANKS  # noqa: F401
