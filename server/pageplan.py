"""The SPARQL of a flat table's page queries, generated from its row layout
(:data:`core.flat.TABLES`): the rows the canned query's parameters keep, a column's cells
joined by hashing, facets counted per shared node, and one page's cells read by index (or,
for a small table, by hashing).
:mod:`server.pagequery` runs them and keeps what they give.

Every text names only our own terms (the table's properties, row and shared-node IRIs made from
integers); request values reach the queries as substitutions, projected wherever they are used.

An exception to two house rules, on purpose and only here: these texts are built with
f-strings, and a view runs SPARQL that is not a file in ``queries/``. Like Datasette's table
view, which writes the SQL of a table page from the table's metadata, a page's queries follow
from the layout declared in :mod:`core.flat`, so they are generated rather than written out
per table and per column; what keeps the rules' purpose is that no request text is ever
written into them (only declared names and our own integers), which ``tests/server/
test_page_query.py`` checks with hostile parameter values.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import flat, iris

from . import tables

ROW, POSITION = "flat_row", "flat_position"
DISTINCT_CUT = tables.SUGGEST_MAX * 4   # distinct terms read per column when suggesting facets
#: a page's cells are read by hashing (:meth:`Plan.page_query`) when the table has at most this
#: many rows per row of the page. National store, 100 rows, engine ms (index / hashed):
#: shacl-warnings (55 rows) 1.7 / 0.8, latest-judgements (160) 3.4 / 1.7, plan-actions-kpis (140)
#: 5.4 / 1.9, grade-changes (767) 3.8 / 3.6, judgements (2,963) 5.7 / 7.1, statistics (2,644)
#: 5.7 / 7.6 (one-off, 5 Dec 2026)
HASHED_ROWS = 8


@dataclass(frozen=True)
class Plan:
    """How to page one flat table for one set of bound parameters.

    :param table: the table's layout.
    :param variables: the canned query's projection, in order.
    :param substitutions: parameter name -> bound term (the request's, typed).
    """
    table: flat.Table
    variables: tuple[str, ...]
    substitutions: tuple[tuple[str, object], ...]

    @property
    def key(self) -> tuple:
        return (self.table.name, tuple((n, str(t)) for n, t in self.substitutions))

    def pred(self, column: str) -> str:
        return flat.predicate(self.table.name, column)

    def reach(self, column: str, var: str, from_row: bool = False) -> str:
        """Patterns binding ``?var`` to ``column`` of ``?flat_row`` (joined row by row: for the
        parameters' filters, whose bound terms make them selective), from the cell to its rows,
        or (``from_row``: ``?flat_row`` is bound already) from the row to its cell."""
        group = self.table.group_of(column)
        if group is None:
            return f"?{ROW} {self.pred(column)} ?{var} ."
        cell, link = f"?g_{group} {self.pred(column)} ?{var} .", f"?{ROW} {self.pred(group)} ?g_{group} ."
        return f"{link} {cell}" if from_row else f"{cell} {link}"

    @property
    def bound(self) -> str:
        """The bound parameters, projected: pyoxigraph substitutes a variable only where the
        query (and each sub-SELECT using it) projects it."""
        return "".join(f" ?{name}" for name, _ in self.substitutions)

    def filtered(self) -> tuple[str, bool]:
        """Patterns keeping the row nodes the bound parameters keep (binding ``?flat_row``), and
        whether they are joined by hashing (no bound term to start from)."""
        bound = {name for name, _ in self.substitutions}
        active = [f for f in self.table.filters if f[0] in bound]
        equal = [f for f in active if f[2] == "equal"]
        # a bound term first: pyoxigraph joins in the written order, and 30 ms becomes 0.2
        parts = [self.reach(column, param) for param, column, _ in equal]
        parts += [self.tested(param, column, match, hashed=not equal)
                  for param, column, match in active if match != "equal"]
        return " ".join(parts), bool(active) and not equal

    def tested(self, param: str, column: str, match: str, hashed: bool) -> str:
        """Patterns keeping the rows whose ``column`` (several joined by ``+``: their cells joined
        by a space) matches ``?param`` as ``match`` says: row by row from the rows a bound term
        keeps, else ``hashed`` (:meth:`hashed_test`)."""
        cells, check = column.split("+"), self.check(param, column, match)
        if hashed:
            return self.hashed_test(param, cells, check, match)
        return " ".join([self.reach(c, f"f_{c}", from_row=True) for c in cells] + [check])

    @staticmethod
    def check(param: str, column: str, match: str) -> str:
        """The FILTER of one parameter's match on ``column``'s cells (bound as ``?f_<cell>``)."""
        cells = column.split("+")
        joined = ', " ", '.join(f"?f_{c}" for c in cells)
        text = f"?f_{column}" if len(cells) == 1 else f"CONCAT({joined})"
        test = (f'CONTAINS({text}, CONCAT(" ", ?{param}, " "))' if match == "word"
                else f"CONTAINS(LCASE(STR({text})), LCASE(STR(?{param})))")
        return f"FILTER (COALESCE({test}, true))"

    def hashed_test(self, param: str, cells: list[str], check: str, match: str) -> str:
        """Sub-SELECTs joined by hashing that keep the rows passing ``check``: one shared cell is
        tested once per node, then joined to its rows; a row's own cells, or several cells,
        once per row (row by row from every cell, statistics' measure words took 340 ms at
        150 x 10), several "contains" cells only on the rows :meth:`candidates` finds."""
        group = self.table.group_of(cells[0])
        if len(cells) == 1 and group:
            cell = f"?g_{group} {self.pred(cells[0])} ?f_{cells[0]} ."
            return f"{{ SELECT ?g_{group} ?{param} WHERE {{ {cell} {check} }} }} {self.links([group])}"
        joins = [self.candidates(param, cells)] if len(cells) > 1 and match == "contains" else []
        for c in cells:
            g = self.table.group_of(c)
            node = ROW if g is None else f"g_{g}"
            joins += [self.links([g])] if g else []
            joins.append(f"{{ SELECT ?{node} ?f_{c} WHERE {{ ?{node} {self.pred(c)} ?f_{c} }} }}")
        return f"{{ SELECT ?{ROW} ?{param} WHERE {{ {' '.join(joins)} {check} }} }}"

    def candidates(self, param: str, cells: list[str]) -> str:
        """The rows whose ``cells`` joined by spaces can contain ``?param`` (any case), each
        cell's text tested once per node that holds it and the nodes then followed to their rows
        by index: the rows whose first cell contains it, and those whose later cell contains its
        last word. A match inside the first cell is among the first; one that ends in a later
        cell (inside it, or across the space before it) holds the last word there. The kept
        rows' positions of plan-actions-kpis at 150 x 10, CPU ms, every row's "action KPI"
        tested -> candidates first (two paired runs, 6 Dec 2026, slow host): words few rows
        hold 319-407 -> 221-282 ("care leavers", "adoption", "health", "placement"); half the
        rows ("child") 383-421 -> 448-484; every row ("a") 410-430 -> 750-787, as in
        ``queries/plan-actions-kpis.rq``, which does the same."""
        sides = []
        for i, c in enumerate(cells):
            g = self.table.group_of(c)
            node = ROW if g is None else f"g_{g}"
            words = f"LCASE(STR(?{param}))" if i == 0 else f'REPLACE(LCASE(STR(?{param})), "^.* ", "", "s")'
            test = (f"{{ SELECT ?{node} ?{param} WHERE {{ ?{node} {self.pred(c)} ?c_{c} "
                    f"FILTER (CONTAINS(LCASE(STR(?c_{c})), {words})) }} }}")
            follow = f" LATERAL {{ ?{ROW} {self.pred(g)} ?{node} }}" if g else ""
            sides.append(f"{{ {test}{follow} }}")
        return f"{{ SELECT DISTINCT ?{ROW} ?{param} WHERE {{ {' UNION '.join(sides)} }} }}"

    def rows_where(self) -> str:
        """A sub-SELECT of the kept row nodes with their positions (joined by hashing)."""
        where, hashed = self.filtered()
        position = f"?{ROW} {self.pred('position')} ?{POSITION} ."
        if hashed:          # every position, joined by hashing to the kept rows
            position = f"{{ SELECT ?{ROW} ?{POSITION} WHERE {{ {position} }} }}"
        return f"{{ SELECT ?{ROW} ?{POSITION}{self.bound} WHERE {{ {where} {position} }} }}"

    def positions_query(self) -> str:
        """Positions of the kept rows."""
        return f"SELECT ?{POSITION}{self.bound} WHERE {{\n  {self.rows_where()}\n}}"

    def links(self, groups) -> str:
        """Sub-SELECTs binding ``?g_<group>`` to each group's shared node of ``?flat_row``."""
        return " ".join(f"{{ SELECT ?{ROW} ?g_{g} WHERE {{ ?{ROW} {self.pred(g)} ?g_{g} }} }}"
                        for g in groups)

    def cells(self, named: dict[str, str]) -> str:
        """Sub-SELECTs binding ``?var`` to each ``column`` of ``?flat_row`` (``named``: column ->
        var), when it has one: each group's link once, then each cell (joined by hashing)."""
        groups = dict.fromkeys(g for g in map(self.table.group_of, named) if g)
        parts = [self.links(groups)]
        for column, var in named.items():
            node = f"g_{g}" if (g := self.table.group_of(column)) else ROW
            parts.append(f"OPTIONAL {{ SELECT ?{node} ?{var} "
                         f"WHERE {{ ?{node} {self.pred(column)} ?{var} }} }}")
        return "\n  ".join(parts)

    def values_query(self, column: str | None, named: dict[str, str] | None = None) -> str:
        """Positions of the kept rows, with ``column``'s cell as ``?value`` when given (or the
        cells ``named``)."""
        named = named or ({column: "value"} if column else {})
        return (f"SELECT ?{POSITION} {' '.join('?' + v for v in named.values())}{self.bound} WHERE {{\n  "
                f"{self.rows_where()}\n  {self.cells(named)}\n}}")

    def per_group(self, column: str, inner: str) -> tuple[str, str | None]:
        """``inner`` over the group nodes of ``column`` the kept rows link to (``?g``), and its
        cell ``?value``; for a row's own cell, over the kept rows."""
        group = self.table.group_of(column)
        if group is None:
            return f"{self.rows_where()}\n  {self.cells({column: 'value'})}", None
        rows = f"{self.rows_where()} " if self.substitutions else ""
        link = f"{{ SELECT ?{ROW} ?g WHERE {{ ?{ROW} {self.pred(group)} ?g }} }}"
        cell = f"OPTIONAL {{ SELECT ?g ?value WHERE {{ ?g {self.pred(column)} ?value }} }}"
        return (f"{{ SELECT {inner}{self.bound} WHERE {{ {rows}{link} }} GROUP BY ?g{self.bound} }}"
                f"\n  {cell}", group)

    def facet_query(self, column: str) -> str:
        """Counts of ``column``'s values over the kept rows (per group node first)."""
        where, group = self.per_group(column, "?g (COUNT(*) AS ?k)")
        count = "(SUM(?k) AS ?n)" if group else "(COUNT(*) AS ?n)"
        return f"SELECT ?value {count}{self.bound} WHERE {{\n  {where}\n}} GROUP BY ?value{self.bound}"

    def links_query(self, group: str) -> str:
        """Positions of the kept rows with their link to ``group``'s shared node (``?g_<group>``)."""
        return (f"SELECT ?{POSITION} ?g_{group}{self.bound} WHERE {{\n  {self.rows_where()}\n  "
                f"{self.links([group])}\n}}")

    def shared_query(self, column: str) -> str:
        """Every shared node's (``?g``) cell of ``column`` (``?value``), whatever the parameters."""
        return f"SELECT ?g ?value WHERE {{ ?g {self.pred(column)} ?value }}"

    def column_values_query(self, column: str) -> str:
        """Distinct values of ``column`` among all its triples, cut at a few more than suggesting needs."""
        return f"SELECT DISTINCT ?value WHERE {{ ?s {self.pred(column)} ?value }} LIMIT {DISTINCT_CUT}"

    def count_query(self, column: str, value: str = "?value") -> str:
        """How many triples of ``column`` have the object ``value`` (a variable: any)."""
        return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {self.pred(column)} {value} }}"

    def node_cells_query(self, group: str, numbers, columns: list[str]) -> str:
        """``columns``' cells (each optional) of ``group``'s shared nodes numbered ``numbers``
        (IRIs made from our own integers), looked up by index: ``?g`` and one variable per column."""
        nodes = " ".join(f"<{iris.flat_group(self.table.name, group, n)}>" for n in numbers)
        cells = " ".join(f"OPTIONAL {{ ?g {self.pred(c)} ?{c} }}" for c in columns)
        return f"SELECT ?g {' '.join('?' + c for c in columns)} WHERE {{ VALUES ?g {{ {nodes} }} {cells} }}"

    def page_query(self, positions, columns: list[str] | None = None, hashed: bool = False) -> str:
        """The cells of the rows at ``positions`` (the canned query's projection, or ``columns``):
        looked up row by row (an index seek per cell), or, ``hashed``, each column read whole and
        joined by hashing, which is cheaper when the table has at most a few times the page's rows
        (:data:`HASHED_ROWS`)."""
        names = columns or [v for v in self.variables if v not in {p for p, _, _ in self.table.filters}]
        params = [] if columns else [v for v in self.variables if v not in names]
        prefix = iris.flat_rows(self.table.name)
        rows = " ".join(f"<{prefix}{p}>" for p in positions)
        projection = " ".join(f"?{v}" for v in [ROW, *names, *params])
        if hashed:
            return (f"SELECT {projection} WHERE {{\n  VALUES ?{ROW} {{ {rows} }}\n  "
                    f"{self.cells({c: c for c in names})}\n}}")
        groups = dict.fromkeys(g for g in map(self.table.group_of, names) if g)
        links = " ".join(f"?{ROW} {self.pred(g)} ?g_{g} ." for g in groups)
        cells = "\n  ".join(f"OPTIONAL {{ ?{'g_' + g if (g := self.table.group_of(c)) else ROW} "
                            f"{self.pred(c)} ?{c} }}" for c in names)
        return f"SELECT {projection} WHERE {{\n  VALUES ?{ROW} {{ {rows} }}\n  {links}\n  {cells}\n}}"
