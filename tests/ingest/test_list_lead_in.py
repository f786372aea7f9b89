"""A list of what needs to improve whose items go on with the sentence of a lead-in printed before
it ("The local authority needs to take swift and decisive action to address:" / "the quality of
assessments"): each item keeps the lead-in in front, so it reads as a whole sentence instead of a
fragment. Letters and reports made up here, laid out as the national archive prints them."""
from __future__ import annotations

from ingest.frameworks import parse
from ingest.frameworks.list_items import lead_in, with_lead_in
from ingest.model import Block, Framework
from ingest.normalise import normalise
from ingest.readers import read

_LETTER = """16 May 2024

Focused visit to Anyshire children's services

This letter summarises the findings of a focused visit to Anyshire children's services on 1 and 2 February 2024. The inspectors were Ann Able and Bob Baker, His Majesty's Inspectors.

Areas for priority action

Leaders have made changes since the last visit. The local authority needs to take swift and decisive action to address:

- the quality of assessments, so that risks are understood
- management oversight of plans.

What needs to improve in this area of social work practice:

- the timeliness of reviews.

What needs to improve in this area of social work practice

- The quality of supervision.

Findings

- Children are seen regularly by their social workers.

Yours sincerely
"""


def _letter(tmp_path, text=_LETTER):
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    return parse(normalise(read(str(path))), Framework.FOCUSED_VISIT)


def test_lower_case_items_keep_the_lead_in_sentence(tmp_path):
    recs = _letter(tmp_path).recommendations
    assert [r.text for r in recs[:2]] == [
        "The local authority needs to take swift and decisive action to address: the quality of "
        "assessments, so that risks are understood.",
        "The local authority needs to take swift and decisive action to address: management oversight of plans."]
    assert {r.band for r in recs[:2]} == {"Priority action"}


def test_a_section_heading_ending_in_a_colon_is_no_lead_in(tmp_path):
    recs = _letter(tmp_path).recommendations
    assert recs[2].text == "the timeliness of reviews."          # as printed
    assert recs[3].text == "The quality of supervision."         # a sentence of its own: as printed
    assert len(recs) == 4


def test_lead_in_is_the_last_sentence_of_a_block_ending_in_a_colon():
    assert lead_in(Block(0, "paragraph", "Much has improved. In addition, these areas need work:")) \
        == "In addition, these areas need work:"
    assert lead_in(Block(0, "paragraph", "Much has improved.")) is None


def test_with_lead_in_ends_the_sentence_and_leaves_whole_items_alone():
    assert with_lead_in("Leaders need to improve:", "the quality of plans; and") == \
        "Leaders need to improve: the quality of plans."
    assert with_lead_in("Leaders need to improve:", "The quality of plans.") == "The quality of plans."
    assert with_lead_in(None, "the quality of plans") == "the quality of plans"
