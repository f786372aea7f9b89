"""Only children's-services documents of English councils load: a school's improvement plan, a
monitoring visit to a school, a police force's or fire service's plan, a school's inspection
report and an HTML page saved as .pdf are each refused with one line naming the file and why."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import IngestError
from ingest.pipeline import Ingestor
from ingest.prepare import prepare
from tests.conftest import new_store

PLAN = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2016_improvement-plan-getting-to-good.txt"
PLAN_TITLE = "Bristol Children's Services Improvement Plan 2016 - 2017"


def _plan_of(title: str) -> str:
    text = PLAN.read_text(encoding="utf-8")
    assert PLAN_TITLE in text
    return text.replace(PLAN_TITLE, title)


def _school_letter() -> str:
    return "\n\n".join([
        "14 March 2024", "Mrs A Head", "Headteacher", "Bristol Cathedral Choir School", "Dear Mrs Head",
        "Monitoring visit to Bristol Cathedral Choir School",
        "Following my visit to your school on 5 and 6 March 2024, I write to report the findings.",
        "Main findings", "Leaders have taken effective action.", "Yours sincerely", ""])


DOCUMENTS = {
    "school-plan.txt": (lambda: _plan_of("Bristol Cathedral Choir School Improvement Plan 2016 - 2017"),
                        r"authority 'Bristol Cathedral Choir School' is not in the register.*not an English council"),
    "police-plan.txt": (lambda: _plan_of("Surrey Police Children's Services Improvement Plan 2016 - 2017"),
                        r"authority 'Surrey Police' is not in the register.*not an English council"),
    "fire-plan.txt": (lambda: _plan_of("Avon Fire and Rescue Service Improvement Plan 2016 - 2017"),
                      r"authority 'Avon Fire and Rescue Service' is not in the register"),
    "school-monitoring-visit.txt": (_school_letter,
                                    r"authority 'Bristol Cathedral Choir School' is not in the register"),
    "school-report.txt": (lambda: "Inspection of Bristol Cathedral Choir School\n\nInspection dates: 5 and 6 March "
                                  "2024\n\nOverall effectiveness\tGood\n\nThe quality of education\tGood\n",
                          r"not a recognised Ofsted report"),
    "saved-page.pdf": (lambda: "<!DOCTYPE html>\n<html><head><title>Inspection of Surrey County Council "
                               "children's services</title></head><body><p>Ofsted</p></body></html>\n",
                       r"not a PDF"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_non_reports_are_refused_with_one_line(tmp_path, name):
    text, reason = DOCUMENTS[name]
    path = tmp_path / name
    path.write_text(text(), encoding="utf-8")
    with pytest.raises(IngestError, match=reason) as err:
        prepare(str(path))
    assert str(err.value).startswith(str(path))
    assert "\n" not in str(err.value)


def test_a_real_council_plan_still_loads(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(_plan_of("Bristol City Council Children's Services Improvement Plan 2016 - 2017"), encoding="utf-8")
    assert prepare(str(path)).triples > 100


def test_one_refusal_never_stops_the_batch(tmp_path):
    for name in ("school-plan.txt", "saved-page.pdf"):
        (tmp_path / name).write_text(DOCUMENTS[name][0](), encoding="utf-8")
    (tmp_path / "plan.txt").write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    store = new_store(tmp_path / "store")
    try:
        outcomes = Ingestor(store, jobs=1).run(sorted(str(p) for p in tmp_path.glob("*.*")))
    finally:
        store.close()
    assert {Path(o.path).name: o.ok for o in outcomes} == {"plan.txt": True, "school-plan.txt": False,
                                                           "saved-page.pdf": False}
