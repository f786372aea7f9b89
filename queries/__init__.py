"""Canned queries: ``<name>.rq`` (SPARQL) beside ``<name>.toml`` (metadata).

This folder is data. The one loader, which checks each query as it loads, is
:mod:`core.canned` (metadata keys and parameter types are listed there); the names below are
re-exported from it for the command line and older callers.
"""
from core.canned import (PARAM_TYPES, CannedQuery, Param, ParameterError, QueryDefinitionError,
                         get, load_all, to_term)
from core.params import GRADE_RANKS

__all__ = ["PARAM_TYPES", "CannedQuery", "GRADE_RANKS", "Param", "ParameterError",
           "QueryDefinitionError", "get", "load_all", "to_term"]
