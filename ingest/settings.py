"""Moved to :mod:`core.settings` (the one settings table); kept only until the modules that
issue 15's store-layer move is rewriting import it from there."""
from core.settings import SETTINGS, base_iri, default_store, get, positive  # noqa: F401
