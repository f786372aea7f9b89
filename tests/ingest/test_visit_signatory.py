"""Who led a visit: a focused visit letter is signed by its lead inspector ("Yours sincerely" /
"Jo Bloggs" / "His Majesty's Inspector"), whether or not the letter prints the sign-off line, and
whichever place the sentence naming the inspectors gives them. Letters from
``../shared/corpus-national`` (skipped when absent), edited in memory for the variants the archive
lacks."""
from __future__ import annotations

import pytest

from ingest.patterns import is_inspector_title
from tests.national_letters import NATIONAL, SKIP_REASON
from tests.national_letters import letter as _letter

needs_national = pytest.mark.skipif(not NATIONAL.is_dir(), reason=SKIP_REASON)


def _roles(report):
    return [(t.name, t.role) for t in report.team]


@pytest.mark.parametrize("text", ["Her Majesty’s Inspector", "His Majesty's Inspector", "Her Majesty’s Inspector.",
                                  "Senior HMI", "HMI"])
def test_a_title_alone(text):
    assert is_inspector_title(text)


@pytest.mark.parametrize("text", ["Jo Bloggs", "Jo Bloggs, Her Majesty’s Inspector", "Her Majesty’s Inspectors for "
                                  "this visit were Jo Bloggs and Sam Smith", "Yours sincerely"])
def test_not_a_title_alone(text):
    assert not is_inspector_title(text)


@needs_national
def test_the_signing_inspector_is_the_lead_wherever_the_list_names_them():
    # Devon 2021: "Her Majesty’s Inspectors were Tonwen Empson, Joy Howick, Nigel Parkes, Neil Penswick
    # and John Roughton." ... "Yours sincerely" / "Nigel Parkes" / "Her Majesty’s Inspector"
    assert _roles(_letter("80461_devon_2021-07-15")) == [
        ("Tonwen Empson", "inspector"), ("Joy Howick", "inspector"), ("Nigel Parkes", "lead inspector"),
        ("Neil Penswick", "inspector"), ("John Roughton", "inspector")]


@needs_national
@pytest.mark.parametrize("name,lead", [
    ("80499_harrow_2018-11-01", "Kate Malleson"),       # no "Yours sincerely" line above the name
    ("80459_derby_2021-08-09", "Julie Knight"),         # "Your sincerely"
    ("80462_doncaster_2019-01-04", "Neil Penswick"),    # a "cc" line after the signature
    ("80554_solihull_2018-03-09", "Peter McEntee"),     # "Peter McEntee HMI" / "Her Majesty’s Inspector"
])
def test_the_signature_however_the_sign_off_is_printed(name, lead):
    report = _letter(name)
    assert [t.name for t in report.team if t.role == "lead inspector"] == [lead]
    assert report.warnings == []


@needs_national
def test_team_inspectors_named_after_their_plural_role():
    # Stockton-on-Tees 2026: "His Majesty’s Inspectors for this visit were lead inspector Sophie Wales
    # and team inspectors Sally Sinclair and Mark Scanlon."
    assert _roles(_letter("80563_stockton-on-tees_2026-01-27")) == [
        ("Sophie Wales", "lead inspector"), ("Sally Sinclair", "inspector"), ("Mark Scanlon", "inspector")]


@needs_national
def test_a_signatory_the_list_leaves_out_comes_first_with_a_warning():
    report = _letter("80461_devon_2021-07-15", lambda t: t.replace("Joy Howick, Nigel Parkes,", "Joy Howick,"))
    assert _roles(report)[:2] == [("Nigel Parkes", "lead inspector"), ("Tonwen Empson", "inspector")]
    assert any("signed by Nigel Parkes" in w for w in report.warnings)


@needs_national
def test_a_signature_without_a_name_names_no_lead():
    report = _letter("80461_devon_2021-07-15", lambda t: t.replace("\nNigel Parkes\n", "\n[signature]\n"))
    assert all(t.role == "inspector" for t in report.team)
