"""Parse a 2013-18 single inspection framework (SIF) report with its LSCB review.

Document -> ``Report``. The parser walks the flat blocks once, keeping track of the section it
is in (recommendations, strengths, the information block, a judgement's findings), and reads
the cover judgement table, which it cross-checks against the judgement at the head of each
findings section. It reads structure and standard Ofsted wording only, never one report's
content, so it works on text, markdown and PDF conversions alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import patterns
from ..model import (Block, Document, Finding, Framework, IngestError, InspectionKind, Judgement, Recommendation,
                     Report, Source, Strength)
from .sif_cover import GRADE, area_key, clean as _clean, cover_judgements, read_cover, sif_grade
from .sif_facts import board_name, team_line, tenure_and_earlier
from .sif_sections import graded_heading, heading_words, wrapped_section_row
from .sif_statistics import lead_in, statistics
from .spec import SIF_SCALE, FrameworkSpec, TableGroup

_I = re.I
_APOS = "['’]"

# ---------------------------------------------------------------- headings
_LSCB_JUDGEMENT = re.compile(r"^(?:The judgement for )?(?:the )?(?:effectiveness of )?The (?P<area>(?:[\w'’&-]+ ){0,4}?"
                             r"Safeguarding Children Board|[A-Z]{1,4}SCB)(?: \(\w{2,8}\))? (?:is |are )?"
                             rf"(?P<grade>{GRADE})\.?$", _I)
_LSCB_START = re.compile(r"^The Local Safeguarding Children Board \(LSCB\)$", _I)
#: a board by its name or acronym: "LSCB", and a board that names itself after its area
#: ("Key strengths and weaknesses of the SSCB", Swindon 2014): the covers' rule
_BOARD = patterns.SAFEGUARDING_BOARD
#: the board's findings heading; its dash may be drawn as a box-drawing line ("Inspection findings ─
#: the Local Safeguarding Children Board", as 2017 reports draw "2015─16"), which normalise keeps
_LSCB_FINDINGS = re.compile(rf"^(?:Inspection judgements? about the {_BOARD}|Inspection findings\s*(?:{patterns.DASH}|[\u2500\u2501])\s*the "
                            rf"{_BOARD}|Key strengths and weaknesses of the {_BOARD})$", _I)
#: a heading that ends a recommendations section whatever follows (strengths, findings)
_NOT_RECS = re.compile(r"\b(?:strengths|weaknesses|findings|summary)\b", _I)
_LA_RECS = re.compile(r"^What does the local authority need to improve\s*[?:]?$", _I)
_LSCB_RECS = re.compile(rf"^What does the {_BOARD} need to improve\s*[?:]?$", _I)
_RECS = re.compile(r"^Recommendations\s*:?$", _I)
#: "The local authority's strengths", "... has the following strengths"; early 2014 reports of a
#: good or outstanding authority print its strengths under "This Local Authority is good
#: because:" and no other list (later reports print "Children's services in X are good
#: because:" as a summary beside their own strengths list, so that wording is not matched)
_STRENGTHS = re.compile(rf"^(?:The local authority(?:{_APOS}s strengths| has the following strengths)|"
                        r"This local authority is (?:good|outstanding) because)\s*:?$", _I)
#: the board's own list in the same reports: "The LSCB's strengths", after "What does the LSCB
#: need to improve?" and before "Inspection judgement about the LSCB" (a board that names
#: itself after its area by the covers' rule)
_LSCB_STRENGTHS = re.compile(rf"^The {_BOARD}{_APOS}s strengths\s*:?$", _I)
#: the statistics block: "Information about this (or the) local authority area"; where a report
#: prints no such heading (its block opens with "The local authority" and "Previous Ofsted
#: inspections"), the first standard data group ("Children living in this area") opens it
_INFO = re.compile(r"^Information about (?:this|the) local authority area$", _I)
_DATA_GROUP = re.compile(r"^(?:Children living in this area|Child protection in this area|"
                         r"Children looked after in this area)$", _I)
_FINDINGS = re.compile(r"^Inspection findings$", _I)
_TEAM_START = re.compile(r"^The inspection team$", _I)
#: "What the inspection judgements mean" closes the findings whatever follows it: early 2014 reports
#: print it after each part's last finding as "What the inspection judgements mean: the local
#: authority" (": the LSCB"), spelt "judgments" too, before the grade definitions and the back page
_STOP = re.compile(r"^(?:Summary of findings|Summary for children and young people|Progress since the last "
                   r"inspection|Executive summary|What the inspection judge?ments mean(?:\s*:.*)?|Information about this "
                   r"inspection|The inspection team|Contents|Inspection judgements about the local authority|"
                   r"The local authority|The LSCB)$", _I)
_BAND = re.compile(r"^(?:Priority and immediate action|Immediate action|Priority action|Areas? for (?:priority )?"
                   r"improvement|Within (?:\w+ )?(?:\w+ )?months)\s*:?$", _I)

# ---------------------------------------------------------------- facts
#: "... up to that point in time (Recommendation)." : the marker, and the sentence's own full stop
#: printed after it (kept by ``_unmarked``)
_REC_MARK = re.compile(r"\s*\(Recommendations?\)\s*(\.?)$", _I)
#: a finding's text closed by its sentence's end; a heading after it is not its continuation
_CLOSED = re.compile(r"[.!?:;)\"'’”]$")
#: a band that holds no recommendation says so in a sentence ("There are no areas for priority
#: action.", "There are no areas for priority or immediate action.", early 2014 reports; "There are
#: no priority actions.", "No areas were identified for immediate improvement.", boards' bands;
#: "The inspection did not find any areas for priority and immediate action.", 2014 reports)
_NONE_STATED = re.compile(r"^(?:There (?:are|were) no|No|The (?:inspection|review) did not (?:find|identify) any) "
                          r"(?:\w+ ){0,2}?(?:areas|recommendations|actions)\b", _I)
#: the information block's groups that hold no statistics: "Previous Ofsted inspection(s)",
#: "Other Ofsted inspections", "Local leadership", "Other information about this area"
_DATA_GROUP_EXCLUDED = re.compile(r"\binspections?\b|leadership|other information", _I)
#: sentences of those groups, for a block that prints them under no group heading (Doncaster
#: 2018 prints its children's homes and previous inspection first, unheaded): a tenure, an
#: earlier inspection, the homes or agencies the authority or trust operates. They are the
#: standard wording of every information block, so the rule stays although only two visible
#: reports need it
_SKIP_STAT = re.compile(r"in post since|inspection of|has been operational|operates? (?:\w+ )?children", _I)


@dataclass
class _State:
    mode: str | None = None          # recs, strengths, info, findings
    lscb: bool = False
    addressee: str = "authority"
    band: str | None = None
    theme: str | None = None
    section: str | None = None
    info_group: str | None = None
    team_seen: bool = False
    opened: int = -1                 # block index of the heading that opened the findings section
    #: findings printed as bullets, with the block index of their section's heading
    bullets: list[tuple[int, Finding]] = field(default_factory=list)
    #: an unrecognised heading came after the last finding's closed sentence: the blocks under it
    #: (a summary, a definition, the back page) are not that finding's text
    sealed: bool = False


def parse(doc: Document) -> Report:
    """Read a SIF report with LSCB review.

    :param doc: a normalised document classified as ``Framework.SIF``.
    :return: the report with judgements, recommendations, findings, statistics and team.
    :raise IngestError: when the cover, its judgement table or the overall judgement is missing.
    """
    cover = read_cover(doc)
    review = cover.kind is InspectionKind.LSCB_REVIEW
    # a board's review published alone judges the board only, in its body
    judgements, not_judged = ([], []) if review else cover_judgements(doc, cover)
    report = Report(framework=Framework.SIF, kind=cover.kind, authority_name=cover.authority,
                    title=cover.title, start=cover.start, end=cover.end, published=cover.published,
                    judgements=judgements, not_judged=not_judged)
    by_area = {j.area: j for j in judgements}
    st = _State(lscb=review, addressee="board" if review else "authority")
    info_blocks: list[Block] = []
    section_grades: list[tuple[str, str, str, Block, str]] = []   # key, label, printed, block, subject
    body = doc.blocks if review else doc.blocks[cover.end_index:]
    skip_until = -1
    for i, b in enumerate(body):
        if i <= skip_until:
            continue
        text = _clean(b.text)
        plain = b.number is None and b.kind != "bullet"
        row, used = wrapped_section_row(body, i) if plain and not st.lscb else (None, 0)
        if row:
            section_grades.append((*row, b, "authority"))
            st.mode, st.section, st.opened = "findings", row[1], b.index
            skip_until = i + used
            continue
        if plain and b.kind != "table-row":
            graded = graded_heading(body, i) if not st.lscb else None
            if graded:
                area, grade, heading, used = graded
                key = area_key(area)
                if key and grade:
                    section_grades.append((key, area, grade, b, "authority"))
                st.mode, st.section, st.opened = "findings", heading, b.index
                skip_until = i + used
                continue
            if _switch(heading_words(text), b, st, section_grades):
                continue
        if st.team_seen:
            team_line(b, text, report)
        if st.mode == "recs":
            _rec_block(b, text, st, report)
        elif st.mode == "strengths":
            if b.kind in ("paragraph", "bullet") and (b.number or b.kind == "bullet"):
                report.strengths.append(Strength(text, len(report.strengths) + 1,
                                                 "board" if st.lscb else "authority", Source.of(b)))
        elif st.mode == "info":
            if b.kind == "heading" and not lead_in(text):
                st.info_group = text
            if not (st.info_group and _DATA_GROUP_EXCLUDED.search(st.info_group)):
                info_blocks.append(b)     # headings too: statistics() reads where groups start
        elif st.mode == "findings":
            _finding_block(b, text, st, report)
        tenure_and_earlier(b, text, report)
    _bullet_findings(st.bullets, section_grades, report)
    _cross_check(by_area, section_grades, report)
    if review and "lscb" not in by_area:
        raise IngestError(doc.path, "a review of the LSCB without its judgement ('The LSCB is ...')")
    report.statistics = statistics(info_blocks, _SKIP_STAT, report.authority_name)
    report.board_name = board_name(doc)
    return report


def _switch(head: str, b: Block, st: _State, section_grades: list) -> bool:
    """Follow a plain heading-like block that opens or closes a part of the body.

    :param head: the block's text without a glued footnote digit.
    :return: whether ``b`` was such a heading (and so is nothing else).
    """
    m = _LSCB_JUDGEMENT.match(head)
    if m:
        section_grades.append(("lscb", m.group("area"), m.group("grade"), b, "board"))
        _enter_board(head, b, st)
        return True
    if _LSCB_START.match(head):
        _enter_board(head, b, st)
        return True
    if _LSCB_FINDINGS.match(head):
        st.lscb, st.mode, st.section, st.opened = True, "findings", head, b.index
        return True
    if _LA_RECS.match(head) or _LSCB_RECS.match(head) or _RECS.match(head):
        if _LSCB_RECS.match(head):
            st.lscb = True
        st.mode, st.band, st.theme = "recs", None, None
        st.addressee = "board" if st.lscb else "authority"
        return True
    if _STRENGTHS.match(head):
        st.mode = "strengths"
        return True
    if _LSCB_STRENGTHS.match(head):
        st.lscb, st.mode = True, "strengths"
        return True
    if _INFO.match(head):
        st.mode, st.info_group = "info", None
        return True
    if _DATA_GROUP.match(head):
        st.mode, st.info_group = "info", head
        return True
    if _FINDINGS.match(head):
        if st.mode != "findings":
            st.mode = "findings"
        return True
    if _TEAM_START.match(head):
        st.team_seen = True
        st.mode = None
        return True
    if _STOP.match(head):
        st.mode = None
        return True
    if st.mode in (None, "strengths") and b.kind == "heading" and _BAND.match(head):
        # early 2014: recommendations follow the strengths (or the LSCB's judgement)
        # under band headings, with no "What does ... need to improve?" heading
        st.mode, st.band, st.theme = "recs", head, None
        st.addressee = "board" if st.lscb else "authority"
        return True
    return False


def _enter_board(head: str, b: Block, st: _State) -> None:
    """The board's part begins. Its heading is the section of the board's findings until a
    findings heading of the board's own names another: a part that heads them only "Inspection
    findings" (Kensington and Chelsea 2016, Peterborough 2015, Stockport 2017) would otherwise
    file them under the authority's last section."""
    if not st.lscb:
        st.section, st.opened = head, b.index
    st.lscb, st.mode = True, None


def _sub_bullet(b: Block, report: Report, st: _State) -> bool:
    """Is ``b`` an item of the last recommendation's own list ("... by:" then bullets)?"""
    if b.kind != "bullet" or not report.recommendations:
        return False
    last = report.recommendations[-1]
    if last.addressee != st.addressee:
        return False
    return b.level > 1 or (last.number is not None and (last.text.endswith(":") or "\n• " in last.text))


def _rec_block(b: Block, text: str, st: _State, report: Report) -> None:
    if _sub_bullet(b, report, st):
        last = report.recommendations[-1]
        last.text = f"{last.text}\n• {text}"
    elif (b.number is not None or (b.kind == "bullet" and b.level <= 1)) and _NONE_STATED.match(text):
        pass                  # "There are no areas for priority action.": a band left empty
    elif b.number is not None or (b.kind == "bullet" and b.level <= 1):
        report.recommendations.append(Recommendation(
            text=text, order=len(report.recommendations) + 1, number=b.number, band=st.band,
            addressee=st.addressee, theme=st.theme, source=Source.of(b)))
    elif b.kind == "heading" and _BAND.match(text):
        st.band, st.theme = text, None
    elif b.kind == "heading" and _NOT_RECS.search(text):
        st.mode = None        # strengths and findings are never recommendations
    elif b.kind == "heading":
        st.theme = text
    elif b.kind in ("paragraph", "bullet") and report.recommendations and \
            report.recommendations[-1].addressee == st.addressee:
        # the rest of a recommendation cut by a page break
        last = report.recommendations[-1]
        last.text = f"{last.text} {text}"


def _unmarked(text: str) -> str:
    """The finding without its "(Recommendation)" marker, keeping the full stop printed after it
    unless the sentence has its own before it ("... far too long. (Recommendation).")."""
    m = _REC_MARK.search(text)
    if m is None:
        return text
    head = text[:m.start()]
    return head if _CLOSED.search(head) else head + m.group(1)


def _finding_block(b: Block, text: str, st: _State, report: Report) -> None:
    subject = "board" if st.lscb else "authority"
    last = report.findings[-1] if report.findings else None
    numbered = last is not None and last.section == st.section and last.subject == subject
    bullet = st.bullets[-1][1] if st.bullets else None
    if bullet is not None and (bullet.section, bullet.subject) == (st.section, subject) and not numbered:
        last = bullet          # a section printed as bullets so far: its text goes on the last one
    same_section = last is not None and last.section == st.section and last.subject == subject
    if b.number is not None and b.kind == "paragraph":
        cites = bool(_REC_MARK.search(text))
        report.findings.append(Finding(_unmarked(text), b.number, st.section, subject, cites, Source.of(b)))
        st.sealed = False
    elif b.kind == "bullet" and not numbered:
        cites = bool(_REC_MARK.search(text))
        if b.level > 1 and same_section:
            last.text = f"{last.text}\n• {_unmarked(text)}"
            last.cites_recommendation = last.cites_recommendation or cites
        else:
            st.bullets.append((st.opened, Finding(_unmarked(text), None, st.section, subject, cites,
                                                  Source.of(b))))
            st.sealed = False
    elif same_section and b.kind in ("paragraph", "heading") and not b.cells:
        # an unnumbered block after a finding: its "(Recommendation)" marker or its continuation
        # after a page break. A heading is a continuation only while the finding's sentence is
        # open; after a closed one it is a heading the parser does not steer by (a section's
        # title at a page top, "Adoption performance is good", "Summary", "Section 2: ..."), and
        # neither it nor the paragraphs under it belong to the finding
        if _REC_MARK.fullmatch(text):
            last.cites_recommendation = True
            if _REC_MARK.fullmatch(text).group(1) and not _CLOSED.search(last.text):
                last.text += "."
        elif b.kind == "heading" and _CLOSED.search(last.text):
            st.sealed = True
        elif not st.sealed:
            cites = bool(_REC_MARK.search(text))
            last.text = f"{last.text} {_unmarked(text)}"
            last.cites_recommendation = last.cites_recommendation or cites


def _bullet_findings(bullets: list[tuple[int, Finding]], section_grades: list, report: Report) -> None:
    """Early 2014 reports print every section's findings as bullets, not numbered paragraphs:
    a report that numbers none of its findings takes its sections' bullets as findings. Where
    findings are numbered, bullets are a paragraph's own list. A judgement heading printed
    again later ("Leadership, management and governance require improvement" in the summary,
    then over its section) opened a summary the first time: its bullets are not findings."""
    if report.findings:
        return
    opened_key = {b.index: key for key, _label, _printed, b, _subject in section_grades}
    last_opened = {key: b.index for key, _label, _printed, b, _subject in section_grades}
    report.findings = [f for at, f in bullets if at not in opened_key or last_opened[opened_key[at]] == at]


def _cross_check(by_area: dict[str, Judgement], section_grades: list, report: Report) -> None:
    seen: set[str] = set()
    for key, label, printed, b, subject in section_grades:
        grade = sif_grade(printed)
        if key == "lscb":
            if "lscb" not in by_area:
                j = Judgement("lscb", grade or "", _clean(label), _clean(printed), subject="board",
                              source=Source.of(b))
                by_area["lscb"] = j
                report.judgements.append(j)
            elif by_area["lscb"].grade != grade:
                report.warnings.append(f"LSCB judgement printed twice with different grades "
                                       f"({by_area['lscb'].printed_grade!r}, {printed!r}); kept the first")
            continue
        cover = by_area.get(key)
        if cover is None:
            report.warnings.append(f"section judgement {label!r} ({printed}) has no row in the cover table")
        elif cover.grade != grade and key not in seen:
            report.warnings.append(f"cover grades {cover.printed_area!r} {cover.printed_grade!r} but its "
                                   f"section heading (block {b.index}) says {printed!r}; kept the cover")
        seen.add(key)


#: SIF before SLAC: a SIF cover may mention the last 2009-12 "inspection of safeguarding and
#: looked after children services"; a 2009-12 report cannot name the later framework
_COVER_TITLES = (
    re.compile(r"inspection of services for children in need of help and protection,? "
               r"children looked after and care leavers", _I),
    # a review of a safeguarding children board published on its own
    re.compile(r"^Review of the effectiveness of the (?:local )?safeguarding children board", _I | re.M),
)


def recognise(doc: Document, cover: str) -> str | None:
    """The evidence that a cover is a SIF report's or a stand-alone LSCB review's, or None."""
    for title in _COVER_TITLES:
        m = title.search(cover)
        if m:
            return f"title {m.group(0)!r}"
    return None


SPECS = (FrameworkSpec(
    Framework.SIF, "Single inspection framework, 2013-18", order=20, recognise=recognise, parse=parse,
    areas=("overall-effectiveness", "help-and-protection", "children-looked-after", "adoption",
           "care-leavers", "leadership", "lscb"),
    scale=SIF_SCALE,
    kinds={InspectionKind.SIF: "SIFInspection", InspectionKind.SIF_REINSPECTION: "SIFReinspection",
           InspectionKind.LSCB_REVIEW: "LSCBReview"},
    table_groups=(
        TableGroup(re.compile(r"\bsif re-?inspection"), "sif-reinspection", InspectionKind.SIF_REINSPECTION,
                   "overall-effectiveness"),
        TableGroup(re.compile(r"\bfirst sif\b|\blscb\b|single inspection"), "sif", InspectionKind.SIF,
                   "overall-effectiveness"),
    ), table_order=70),
)

__all__ = ["parse", "area_key", "sif_grade", "SPECS"]
