"""Dropping columns from the CSV the engine writes (the whole CSV of a canned query), in the pass
that neutralises formula-like cells: the kept cells are those of the rows written by the csv
module, whatever they hold (commas, quotes, line breaks, formula-like text), and a body with
nothing to change is returned as it is."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from core import formats

AWKWARD = ["plain", "a, comma", 'a "quote"', "two\nlines", "=1+1", "-3", "@sum", ""]


def engine_csv(drop=()) -> bytes:
    """The engine's CSV of rows with an awkward cell each, written as the worker writes it."""
    store = ox.Store()
    s = ox.NamedNode("http://example.org/s")
    for n, text in enumerate(AWKWARD):
        row = ox.NamedNode(f"http://example.org/row/{n}")
        store.add(ox.Quad(row, ox.NamedNode("http://example.org/text"), ox.Literal(text)))
        store.add(ox.Quad(row, ox.NamedNode("http://example.org/n"), ox.Literal(n)))
        store.add(ox.Quad(row, ox.NamedNode("http://example.org/about"), s))
    query = ("SELECT ?n ?text ?hidden ?row WHERE { ?row <http://example.org/text> ?text ; "
             "<http://example.org/n> ?n . OPTIONAL { ?row <http://example.org/about> ?hidden } } ORDER BY ?n")
    body, truncated = formats.write_solutions(store.query(query), "csv", None, drop=drop)
    assert not truncated
    return body


def test_dropped_columns_leave_the_other_cells_as_written():
    kept = engine_csv(("hidden", "nothing-such"))
    header, *rows = list(csv.reader(io.StringIO(kept.decode("utf-8"), newline="")))
    assert header == ["n", "text", "row"]
    assert [r[1] for r in rows] == [formats.safe_cell(t) for t in AWKWARD]
    assert [r[1] for r in rows][4:7] == ["'=1+1", "-3", "'@sum"]
    assert [r[0] for r in rows] == [str(n) for n in range(len(AWKWARD))]
    assert all(r[2].startswith("http://example.org/row/") for r in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow(row)
    assert kept == out.getvalue().encode("utf-8")


def test_a_body_with_nothing_to_change_is_returned_as_it_is():
    body = b"n,text\r\n1,plain\r\n2,\"a, comma\"\r\n"
    assert formats.neutralise_csv(body, ("absent",)) is body
    assert formats.neutralise_csv(body + b"3,-3\r\n4,=1\r\n") == body + b"3,-3\r\n4,'=1\r\n"
    assert formats.neutralise_csv(body, ("n",)) == b"text\r\nplain\r\n\"a, comma\"\r\n"


def test_the_row_limit_check_counts_a_quoted_line_break_as_a_row_at_most():
    body = engine_csv()
    rows = len(AWKWARD)
    assert formats.within(body, "csv", rows)
    assert not formats.within(body, "csv", rows - 1)


def test_rows_are_counted_as_the_csv_module_reads_them():
    body = engine_csv()
    assert formats.csv_row_count(body) == len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1
    assert formats.csv_row_count(body) == len(AWKWARD)
    crlf = b'a,b\r\n"one\r\ntwo",x\r\n"say ""hi""",y\r\nz,\r\n'
    assert formats.csv_row_count(crlf) == 3
    assert formats.csv_row_count(b"a,b\r\n") == 0
    assert formats.csv_row_count(b"a,b\r\n1,2") == 1


def written_by_the_csv_module(body: bytes, drop=()) -> bytes:
    """What the csv module writes for ``body`` with ``drop`` left out and every cell made safe,
    row by row: the reference the one-pass rewrite must equal."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    keep = [i for i, name in enumerate(rows[0]) if name not in drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(formats.safe_row([row[i] for i in keep if i < len(row)]))
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("drop", [(), ("hidden",), ("n", "hidden"), ("n", "text", "hidden")])
def test_the_rewrite_equals_the_csv_module_row_by_row(drop):
    body = engine_csv()
    assert formats.neutralise_csv(body, drop) == written_by_the_csv_module(body, drop)
    quoted = (b'a,b,c\r\n"one\r\ntwo",x,\r\n"say ""hi""",=y,\r\n,,\r\nplain,-3,z\r\n')
    for cut in [(), ("a",), ("b", "c"), ("a", "b")]:
        assert formats.neutralise_csv(quoted, cut) == written_by_the_csv_module(quoted, cut), cut
