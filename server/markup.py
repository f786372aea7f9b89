"""HTML escaping for the pages' Python-written parts (table cells, bar charts, the England map), and
the keys their links to our IRIs carry unquoted."""
from __future__ import annotations

import re


def html_escape(text: str) -> str:
    """``text`` escaped for HTML text and attribute values as ``markupsafe.escape`` writes it
    (``&#34;``, ``&#39;``), as a plain string: a table's cells, a chart's bars and the map's
    authorities take several each, and building a ``Markup`` for each was over half their cost."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


#: a path under ``/id/`` that Flask's ``path`` converter writes as it is (no character it would
#: quote): links to our IRIs are built from a prefix (:func:`server.local_href` and the table
#: cells of :mod:`server.queryrender`)
PLAIN_KEY = re.compile(r"[A-Za-z0-9_.~!$&'()*+,/:;=@-]*")
