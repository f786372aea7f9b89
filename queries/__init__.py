"""Canned queries: ``<name>.rq`` (SPARQL) beside ``<name>.toml`` (metadata).

This folder is data. The one loader, which checks each query as it loads, is
:mod:`core.canned` (metadata keys and parameter types are listed there); the names below are
re-exported from it for the command line and older callers.
"""
from core.canned import (PARAM_TYPES, CannedQuery, Param, ParameterError, QueryDefinitionError,
                         full_text, get, load_all, to_term)

__all__ = ["PARAM_TYPES", "CannedQuery", "Param", "ParameterError", "QueryDefinitionError",
           "full_text", "get", "load_all", "to_term"]
