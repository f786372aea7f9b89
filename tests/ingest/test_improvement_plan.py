"""The improvement plan parser, on Bristol's 'Getting to Good' plan 2016-17."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.frameworks.improvement_plan import month_date, parse, split_kpi_refs, target_of
from ingest.model import Framework, IngestError
from ingest.normalise import normalise
from ingest.readers import read

SEED = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2016_improvement-plan-getting-to-good.txt"


@pytest.fixture(scope="module")
def doc():
    return normalise(read(SEED))


@pytest.fixture(scope="module")
def plan(doc):
    return parse(doc)


@pytest.fixture(scope="module")
def actions(plan):
    return {a.ref: a for t in plan.themes for a in t.actions}


@pytest.mark.parametrize("printed, refs", [
    ("6a,b", ["6a", "6b"]), ("5,6,7", ["5", "6", "7"]), ("17a,b,c", ["17a", "17b", "17c"]),
    ("1, 2, 3", ["1", "2", "3"]), ("All", ["All"]), ("", []), ("12a", ["12a"]),
])
def test_split_kpi_refs(printed, refs):
    assert split_kpi_refs(printed) == refs


@pytest.mark.parametrize("printed, date", [
    ("Dec 2016", dt.date(2016, 12, 1)), ("Jun-17", dt.date(2017, 6, 1)), ("Mar -17", dt.date(2017, 3, 1)),
    ("2017", None), ("Report quarterly", None),
])
def test_month_date(printed, date):
    assert month_date(printed) == date


def test_cover(plan):
    assert plan.framework is Framework.IMPROVEMENT_PLAN
    assert plan.authority_name == "Bristol"
    assert "Getting to Good" in plan.title and "Improvement Plan 2016 - 2017" in plan.title
    assert plan.issued == dt.date(2016, 9, 1)
    assert plan.version == "1.3"
    assert plan.period == "2016 - 2017"
    assert plan.responds_to_month == dt.date(2014, 10, 1)


def test_rag_scheme(plan):
    assert [(r.label, r.order) for r in plan.rag_scheme] == [("RED", 1), ("AMBER", 2), ("GREEN", 3), ("BLUE", 4)]
    assert plan.rag_scheme[3].description == "Completed"
    assert plan.rag_scheme[0].description.startswith("Tasks and or outcomes have not been met")


def test_themes(plan):
    assert [(t.number, t.title) for t in plan.themes] == [
        ("1", "Quality of Social Work Practice"),
        ("2", "Improved Outcomes for Care Leavers"),
        ("3", "Improved Outcomes for Children in Care"),
        ("4", "Leadership, Management and Governance"),
        ("5", "Workforce"),
        ("6", "Multi-agency Contact and Referral Arrangements"),
    ]
    assert plan.themes[4].outcome_statement == ("There is a stable and resilient workforce that feel valued "
                                                "and who choose to develop their careers in Bristol.")
    assert all(t.outcome_statement for t in plan.themes)


def test_actions(plan, actions):
    assert len(actions) == 84
    assert [len(t.actions) for t in plan.themes] == [21, 14, 17, 10, 10, 12]
    heading = actions["1.1"]
    assert (heading.text, heading.kpi_refs, heading.due, heading.parent_ref) == (
        "Embed the Quality Assurance Framework", [], None, None)
    a = actions["1.1.1"]
    assert a.kpi_refs == ["1"] and a.due == "Report quarterly" and a.due_date is None
    assert a.lead == "Quality Assurance & BSCB Manager" and a.parent_ref == "1.1"
    assert a.text.startswith("Moderate the quality of auditing")
    b = actions["1.2.4"]                     # ref printed in a cell of its own
    assert b.text.startswith("Train Unit Coordinators") and b.kpi_refs == ["1"]
    assert b.due_date == dt.date(2017, 1, 1)
    assert actions["1.2.1"].kpi_refs == ["1", "2", "3"]
    assert actions["2.2.1"].kpi_refs == ["6a", "6b"]
    assert actions["2.5.1"].kpi_refs == ["5", "6", "7"]
    assert actions["4.2.1"].kpi_refs == ["All"]
    assert actions["6.1.1"].kpi_refs == ["17a", "17b", "17c"]
    c = actions["2.4.1"]                     # empty KPI cell
    assert c.kpi_refs == [] and c.due == "Dec 2016" and c.lead == "Strategic Director for People"
    assert actions["1.4.2"].text.endswith("children who have more than 1 Child Protection Plan.")
    assert "<ul" not in actions["1.4.2"].text
    assert actions["3.4.1"].due_date == dt.date(2017, 6, 1)
    assert actions["5.2.4"].parent_ref == "5.3"    # printed under heading 5.3
    assert actions["1.1.1"].source.block is not None


def test_kpis(plan):
    kpis = {k.ref: k for k in plan.kpis}
    assert len(plan.kpis) == 34
    assert [k.ref for k in plan.kpis][:6] == ["1a", "1b", "1c", "1d", "1e", "2a"]
    k = kpis["1a"]
    assert k.measure == "% audited Single Assessments are 'good' or 'outstanding'"
    assert (k.owner, k.frequency, k.baseline) == ("Head of Safeguarding and Area Services", "quarterly", None)
    [t] = k.targets
    assert (t.printed, t.value, t.unit, t.due, t.due_date) == ("80%", Decimal(80), "percent", "Jun-17",
                                                               dt.date(2017, 6, 1))
    [ratio] = kpis["16"].targets
    assert (ratio.printed, ratio.value, ratio.denominator, ratio.unit) == ("4 / 7", Decimal(4), Decimal(7), "ratio")
    assert ratio.due_date == dt.date(2017, 3, 1)
    [count] = kpis["15"].targets
    assert (count.value, count.unit) == (Decimal(439), "count")
    assert kpis["3a"].targets[0].value == Decimal("2.5")
    assert kpis["9a"].targets[0].due == "2017" and kpis["9a"].targets[0].due_date is None
    assert kpis["6b"].owner == "Head of School Partnerships"


def test_target_of():
    t = target_of("Below 20", "Mar 2017")
    assert (t.value, t.unit, t.due_date) == (Decimal(20), "count", dt.date(2017, 3, 1))


def test_warnings_name_the_inconsistencies(plan):
    text = "\n".join(plan.warnings)
    # "KPI 1" cites the group 1a-1e the table lists: no warning (issue 14: spurious warnings)
    assert "is not in the KPI table" not in text and "KPI ref 12" not in text
    assert "action 5.2.4 sits under heading 5.3" in text
    assert "action 4.2.2 is due 'Mar 2016'" in text
    assert "action 6.1.1 (theme 6) cites KPI(s) 17a, 17b, 17c listed under theme 4" in text
    assert "KPI 16 measures a number" in text


def test_no_action_table_is_an_ingest_error(doc):
    stripped = tuple(b for b in doc.blocks if not (b.kind == "table-row" and b.cells[0] == "Action"))
    with pytest.raises(IngestError, match="no action table"):
        parse(dataclasses.replace(doc, blocks=stripped))


def test_no_title_is_an_ingest_error(doc):
    stripped = tuple(b for b in doc.blocks[4:])
    with pytest.raises(IngestError):
        parse(dataclasses.replace(doc, blocks=stripped))
