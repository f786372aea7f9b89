"""HTML escaping for the pages' Python-written parts (table cells, bar charts, the England map)."""
from __future__ import annotations


def html_escape(text: str) -> str:
    """``text`` escaped for HTML text and attribute values as ``markupsafe.escape`` writes it
    (``&#34;``, ``&#39;``), as a plain string: a table's cells, a chart's bars and the map's
    authorities take several each, and building a ``Markup`` for each was over half their cost."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))
