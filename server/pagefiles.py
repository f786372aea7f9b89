"""The page state that no parameter changes, kept as files beside the answer files.

A table page's state whatever the parameters (:mod:`server.pagestate`: every row's links to a
group's shared nodes, every shared node's cell of a column, every row's own cell of a column) is
read once per store state and web process. At 150 authorities x 10 inspections that reading is
most of the first filtered page of a table (plan-actions-kpis: 1.2 of 2.2 s in a one-off probe,
three groups' links of 42,140 rows each; ``bench/first_page.py`` gives the page before and
after), and it came again in every web process and after every restart. So each such part (a :class:`Links`, or a shared column's map) is also written as a file in the store
state's answer folder (:class:`server.answerfiles.AnswerFiles`, at any size), and a process that
does not hold it reads the file instead of asking the store; ingest writes them as it ends
(:mod:`server.keepanswers` asks each table's page), so that no visitor waits for them.

A file is named by a hash of the part's key, the generated query that reads it and
:data:`FORMAT`: a part read by another query (the code changed, not the store) is another
file. It is JSON; a file that does not decode is left alone and the part read from the store.
"""
from __future__ import annotations

import array
import hashlib
import json
import logging
import sys
from dataclasses import dataclass

from .answerfiles import answer_files

log = logging.getLogger(__name__)

#: the files' layout; a change of it names other files
FORMAT = "1"
CONTENT_TYPE = "application/vnd.ofsted-kg.page-state+json"
#: the start of the files' names (an answer's is its ETag, 32 hexadecimal digits)
PREFIX = "page-state-"


@dataclass(frozen=True)
class Links:
    """Rows' positions (in order) and each one's shared node of one group, or its own cell."""
    positions: array.array
    names: tuple[str, ...]       # the group's nodes the rows link to (or the cells' values)
    index: array.array           # each row's node, as an index into ``names``

    def __iter__(self):
        """(position, node IRI) of each row."""
        return zip(self.positions, (self.names[i] for i in self.index))


def tag(key: tuple, text: str) -> str:
    """The file name of the part ``key`` read by ``text``."""
    digest = hashlib.sha256(json.dumps([FORMAT, list(map(str, key)), text]).encode("utf-8"))
    return PREFIX + digest.hexdigest()[:40]


def read(stamp: str, key: tuple, text: str) -> object | None:
    """The part ``key`` (read by ``text``) kept for state ``stamp``; None when there is none."""
    files = answer_files()
    found = files.open(stamp, tag(key, text)) if files is not None else None
    if found is None:
        return None
    with found.file:
        body = found.file.read()
    if found.content_type != CONTENT_TYPE:
        return None
    try:
        return decoded(json.loads(body))
    except (ValueError, KeyError, TypeError, IndexError, OverflowError) as exc:
        log.warning("page state file %s for %s does not decode (%s): read from the store instead",
                    tag(key, text), key, exc)
        return None


def keep(stamp: str, key: tuple, text: str, value) -> None:
    """Write the part ``key`` (read by ``text``) for state ``stamp``, when answer files are on."""
    files = answer_files()
    if files is not None:
        body = json.dumps(encoded(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        files.keep(stamp, tag(key, text), body, CONTENT_TYPE, at_any_size=True)


def encoded(value) -> dict:
    """A part as JSON: :class:`Links` (positions, names, each row's name index) or a shared
    column's map (node IRI -> term; each distinct term once)."""
    if isinstance(value, Links):
        return {"links": [value.positions.tolist(), list(value.names), value.index.tolist()]}
    terms: dict[int, int] = {}
    listed: list[dict] = []
    which = []
    for term in value.values():
        which.append(terms.setdefault(id(term), len(listed)))
        if which[-1] == len(listed):
            listed.append(term)
    return {"shared": [list(value), listed, which]}


def decoded(data: dict):
    """:func:`encoded`'s inverse: node IRIs interned and equal terms one dict, as
    :func:`server.pagestate.shared` builds them."""
    if "links" in data:
        positions, names, index = data["links"]
        if len(positions) != len(index):
            raise ValueError("positions and links differ in length")
        if index and not 0 <= min(index) <= max(index) < len(names):
            raise ValueError("a link to no node")
        return Links(array.array("l", positions), tuple(map(str, names)), array.array("l", index))
    nodes, terms, which = data["shared"]
    if len(nodes) != len(which):
        raise ValueError("nodes and terms differ in length")
    return {sys.intern(node): terms[i] for node, i in zip(nodes, which)}
