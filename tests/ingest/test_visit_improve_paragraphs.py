"""What needs to improve, printed as plain paragraphs; and the authority a visit title names.

Wolverhampton 2018 prints its five areas for improvement as paragraphs without list markers,
after its findings, up to the closing paragraph and the sign-off; Nottingham 2021 prints one
paragraph under each of its two headings, saying that the areas set at the last visit remain:
a statement about the section, not an area. Titles "Focused visit to Bury local authority
children’s services" name the authority as the ILACS cover does, without "local authority".
Letters from ``../shared/corpus-national`` (skipped when absent; slow), variants made by
editing their real text in memory.
"""
from __future__ import annotations

import re

import pytest

from core.authorities import register
from tests.national_letters import NATIONAL, SKIP_REASON
from tests.national_letters import letter as _letter

national = pytest.mark.skipif(not NATIONAL.is_dir(), reason=SKIP_REASON)
pytestmark = [pytest.mark.slow, national]

_WOLVERHAMPTON = "80583_wolverhampton_2018-10-04"
_IMPROVE = "What needs to improve in this area of social work practice\n\n"


def test_areas_for_improvement_printed_as_paragraphs():
    report = _letter(_WOLVERHAMPTON)
    assert [r.text[:45] for r in report.recommendations] == [
        "In locality team hubs, many assessments do no", "Plans are not sufficiently effective in reduc",
        "Social workers in some locality teams experie", "While supervision is regular in locality team",
        "The local authority recognises that the audit"]
    assert {r.band for r in report.recommendations} == {"Areas for improvement"}
    assert report.recommendations[-1].text.endswith("auditors do not sufficiently engage with social "
                                                    "workers and this is a missed opportunity to improve practice.")
    # the closing paragraph is neither an area nor a finding; the findings are as before
    assert not any(r.text.startswith("Ofsted will take") for r in report.recommendations)
    assert len(report.findings) == 10


def test_a_lead_in_before_the_paragraphs_is_no_area():
    report = _letter(_WOLVERHAMPTON, lambda t: t.replace(
        _IMPROVE, _IMPROVE + "Inspectors identified the following areas for improvement:\n\n"))
    assert len(report.recommendations) == 5
    assert report.recommendations[0].text.startswith("In locality team hubs")


def test_one_paragraph_under_the_heading_is_no_area():
    # Nottingham 2021: "The areas for improvement set at the last focused visit in February 2020
    # remain. There are no additional areas for improvement." under each heading
    assert _letter("80533_nottingham_2021-08-09").recommendations == []


def test_paragraphs_before_a_bulleted_list_introduce_it():
    # Wolverhampton's first two paragraphs kept, the rest printed as bullets: the bullets are the areas
    def edit(text):   # "While supervision ..." starts page 5
        return re.sub(r"(^|\n\n)(Social workers in some locality|While supervision|The local authority recognises)",
                      r"\1- \2", text)
    recs = _letter(_WOLVERHAMPTON, edit).recommendations
    assert [r.text[:30] for r in recs] == ["Social workers in some localit", "While supervision is regular i",
                                          "The local authority recognises"]


@pytest.mark.parametrize("name, authority, gss", [
    ("80443_bury_2018-08-17", "Bury", "E08000002"),
    ("80539_portsmouth_2025-03-27", "Portsmouth City Council", "E06000044"),
    ("80487_barnet_2021-08-02", "the London Borough of Barnet", "E09000003"),
    ("80582_wokingham_2024-03-20", "Wokingham Borough Council", "E06000041"),
])
def test_visit_title_names_the_authority_without_local_authority(name, authority, gss):
    report = _letter(name)
    assert report.authority_name == authority
    assert report.title.endswith("local authority children’s services")
    assert register().lookup(report.authority_name, report.start).gss_code == gss


def test_a_title_without_childrens_services_names_the_authority_too():
    report = _letter("80443_bury_2018-08-17", lambda t: t.replace(
        "Focused visit to Bury local authority children’s services", "Focused visit to Bury local authority"))
    assert report.authority_name == "Bury"


def test_the_areas_end_at_the_sign_off_however_it_is_laid_out():
    # the sign-off set as a paragraph rather than a heading: the areas still end there
    report = _letter(_WOLVERHAMPTON, lambda t: t.replace("Yours sincerely", "Yours sincerely."))
    assert len(report.recommendations) == 5
