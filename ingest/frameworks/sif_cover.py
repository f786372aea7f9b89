"""The cover of a SIF-family report: authority, title, kind, dates and the judgement table.

Covers come in several printings: the overall judgement as "Children's services in X require
improvement" or, early in 2014, "The overall judgement is requires improvement"; a first
inspection or a re-inspection ("Re-inspection of services for children in need ..."); and a
judgement table whose grade cells PDF layout may cut over two or three lines, above and below
the row's label ("Requires" / "1. Children who need help and protection" / "improvement").
The table is read as two streams in printed order, the row labels and the grade words, and the
grade words are parsed into whole grades ("Requires improvement to be good" is one grade, never
"Good") which are then paired with the labels in order.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import patterns
from ..model import Block, Document, IngestError, InspectionKind, Judgement, Source

_I = re.I
_TAG = re.compile(r"</?(?:p|b|strong|em|i|span|br)\s*/?>", _I)
_APOS = "['’]"
#: a SIF grade as printed (the body modules share it)
GRADE = r"(?:outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?)"

#: "Inspection of services ...", "Re-inspection ...", "Re inspection ...", "Re–inspection ..."
_TITLE = re.compile(rf"^(?P<re>Re{patterns.DASH}?\s?)?inspection of services for children in need", _I)
#: a board's review published on its own
_REVIEW_TITLE = re.compile(r"^Review of the effectiveness of the (?:local )?safeguarding children board", _I)
_BOARD_SUFFIX = re.compile(r"\s*(?:\b(?:Local\s+)?Safeguarding\s+Children(?:['’]s)?\s+Board|\bLSCB)\s*(?:\(\w+\))?$", _I)
_INSPECTION_DATE = re.compile(r"^Inspection dates?\s*:?\s*(.+)$", _I)
_PUBLISHED = re.compile(r"^Report published\s*:?\s*(.+)$", _I)
#: "Children's services in Bristol are good", "The overall judgement is that children's
#: services require improvement"
_OVERALL = re.compile(
    rf"(?:The overall judgement is that\s+)?children{_APOS}s services?\s+(?:in\s+(?P<name>.+?)\s+)?"
    rf"(?:are\s+|is\s+)?(?P<grade>{GRADE})\b(?!\s+because)", _I)
#: early 2014: "The overall judgement is requires improvement"
_OVERALL_IS = re.compile(rf"^The overall judgement is\s+(?:that\s+it\s+is\s+)?(?P<grade>{GRADE})\b", _I)
_COVER_END = re.compile(r"^(?:Contents\b.*|Executive summary|Summary of (?:key )?findings|The local authority|"
                        r"Section 1\b.*)$", _I)
#: the cover never runs past this many blocks
_COVER_MAX = 80
#: a judgement-table row label: "1. Children who need help ...", "2.1 Adoption performance"
_ITEM = re.compile(r"^([1-3](?:\.[1-3])?)\.?\s+(?=[A-Z])")
#: a cell or line made only of grade words (a whole grade or a piece of a wrapped one)
_GRADE_PIECE = re.compile(r"^(?:(?:requires?|improvement|to|be|good|outstanding|inadequate|not|judged)"
                          r"[\s.]*)+$", _I)
_GRADE_WORD = re.compile(r"requires?|improvement|to|be|good|outstanding|inadequate|not|judged", _I)
_GRADE_IN_LABEL = re.compile(r"\b(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|improvement(?:\s+to\s+be"
                             r"(?:\s+good)?)?|requires?|(?:to\s+)?be\s+good|outstanding|inadequate|good|not\s+judged)\b", _I)
#: a row label printed without its number
_BARE_LABEL = re.compile(r"^(?:Children who need help|Children looked after and|Adoption performance|Experiences and "
                         r"progress of care leavers|Leadership, management and)", _I)
#: the board's judgement as an early-2014 cover prints it, possibly wrapped before the grade:
#: "The effectiveness of the Local Safeguarding Children Board (LSCB) is good", "The judgement for
#: the effectiveness of the SSCB is requires improvement"
_LSCB_COVER = re.compile(rf"^The (?:judgement for the )?effectiveness of the {patterns.SAFEGUARDING_BOARD}"
                         rf"(?: \({patterns.SAFEGUARDING_BOARD}\))? is\s+(?:that it is\s+)?(?P<grade>{GRADE})\b", _I)

#: printed area wording -> controlled area key (first match wins)
_AREAS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"adoption", _I), "adoption"),
    (re.compile(r"care leavers|leaving care", _I), "care-leavers"),
    (re.compile(r"help and protection", _I), "help-and-protection"),
    (re.compile(r"looked after|in care\b", _I), "children-looked-after"),
    (re.compile(r"leadership", _I), "leadership"),
)


def clean(text: str) -> str:
    """The text without HTML tags (markdown conversions) and with single spaces."""
    return re.sub(r"\s+", " ", _TAG.sub(" ", text)).strip()


def area_key(printed: str) -> str | None:
    """Controlled area key for a printed SIF judgement area, or None."""
    for rule, key in _AREAS:
        if rule.search(printed):
            return key
    return None


def sif_grade(printed: str) -> str | None:
    """SIF grade key: "require improvement (to be good)" -> ``requires-improvement``."""
    key = patterns.grade_key(printed)
    if key is None and re.match(r"improvement\b", printed.strip(), _I):
        key = "requires-improvement"     # a wrapped cell whose "Requires" was not printed with it
    if key == "requires-improvement-to-be-good":
        return "requires-improvement"
    return key if key in ("outstanding", "good", "requires-improvement", "inadequate") else None


def grades_from_words(words: list[str]) -> list[str]:
    """Whole printed grades from grade words in printed order, longest reading first.

    ["Requires", "improvement", "to", "be", "good", "Good"] -> ["Requires improvement to be
    good", "Good"]. A word that starts no grade ("to" on its own) is passed over.
    """
    low = [w.lower() for w in words]
    out: list[str] = []
    i = 0
    while i < len(low):
        w = low[i]
        j = i + 1
        if w in ("require", "requires", "improvement"):
            if w != "improvement" and low[j:j + 1] == ["improvement"]:
                j += 1
            if low[j:j + 3] == ["to", "be", "good"]:
                j += 3
            out.append(" ".join(words[i:j]))
        elif w == "not" and low[j:j + 1] == ["judged"]:
            j += 1
            out.append(" ".join(words[i:j]))
        elif w in ("outstanding", "good", "inadequate"):
            out.append(words[i])
        i = j
    return out


# ---------------------------------------------------------------- cover facts


@dataclass
class Cover:
    authority: str
    title: str
    kind: InspectionKind
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    end_index: int          # first block after the cover


def read_cover(doc: Document) -> Cover:
    """Authority, title, kind and dates from the cover.

    :raise IngestError: no title with the authority above it, no inspection date, or a
        printed date that is no date.
    """
    blocks = doc.blocks
    title_at = next((i for i, b in enumerate(blocks[:40]) if _TITLE.search(b.text)), None)
    review = title_at is None
    if review:
        title_at = next((i for i, b in enumerate(blocks[:40]) if _REVIEW_TITLE.search(b.text)), None)
    if title_at is None or title_at == 0:
        raise IngestError(doc.path, "no SIF cover: title 'Inspection of services for children in need ...' "
                                    "(or 'Review of the effectiveness of the Local Safeguarding Children "
                                    "Board') with the authority name above it not found")
    authority = clean(blocks[title_at - 1].text)
    if review:
        kind = InspectionKind.LSCB_REVIEW
        authority = _BOARD_SUFFIX.sub("", authority) or authority
    elif _TITLE.search(blocks[title_at].text).group("re"):
        kind = InspectionKind.SIF_REINSPECTION
    else:
        kind = InspectionKind.SIF
    date_at = next((i for i, b in enumerate(blocks[:60]) if _INSPECTION_DATE.match(b.text)), None)
    if date_at is None:
        raise IngestError(doc.path, "no 'Inspection date' line on the cover")
    title = clean(" ".join(b.text for b in blocks[title_at:date_at]))
    printed = patterns.dates_going_on(_INSPECTION_DATE.match(blocks[date_at].text).group(1),
                                      blocks[date_at + 1].text if date_at + 1 < len(blocks) else None)
    try:
        rng = patterns.parse_date_range(printed)
        single = None if rng else patterns.parse_date(printed)
    except ValueError:
        raise IngestError(doc.path, f"impossible inspection date {blocks[date_at].text!r}") from None
    start, end = rng if rng else (single, single)
    first = patterns.NUMERIC_RANGE.search(printed) or patterns.DATE_RANGE.search(printed)
    for later in patterns.DAY_MONTH_YEAR.finditer(printed[first.end():] if first else ""):
        # "19 November-11 December 2013 and 28 – 30 January 2014": inspectors came back
        day = patterns.parse_date(later.group(0))
        if end and day and day > end:
            end = day
    published = None
    for b in blocks[date_at:date_at + 6]:
        m = _PUBLISHED.match(b.text)
        if m:
            published = patterns.parse_date(m.group(1))
    limit = min(len(blocks), date_at + _COVER_MAX)
    end_index = next((i for i in range(date_at, limit) if _COVER_END.match(clean(blocks[i].text))), None)
    if end_index is None:       # no contents heading: the cover is the first page (or two)
        end_index = next((i for i in range(date_at, limit) if (blocks[i].page or 0) > 2), limit)
    return Cover(authority, title, kind, start, end, published, end_index)


def _overall(doc: Document, blocks: tuple[Block, ...]) -> tuple[Judgement, int]:
    """The overall judgement and the index of the block after its sentence."""
    for i, b in enumerate(blocks):
        text = clean(b.text)
        m = (_OVERALL.search(text) or _OVERALL_IS.search(text)) if len(text) < 200 else None
        if m:
            return (Judgement("overall-effectiveness", sif_grade(m.group("grade")) or "", "Overall effectiveness",
                              clean(m.group("grade")), source=Source.of(b)), i + 1)
    # a wrapped overall sentence: join neighbouring short blocks
    for i, b in enumerate(blocks[:-1]):
        text = clean(b.text + " " + blocks[i + 1].text)
        m = _OVERALL.search(text) or _OVERALL_IS.search(text)
        if m and len(text) < 250:
            return (Judgement("overall-effectiveness", sif_grade(m.group("grade")) or "", "Overall effectiveness",
                              clean(m.group("grade")), source=Source.of(b)), i + 2)
    raise IngestError(doc.path, "no overall judgement ('Children's services in ... are ...') on the cover")


def _table_streams(blocks: tuple[Block, ...]) -> tuple[list[tuple[str, Block]], list[str]]:
    """Row labels and grade words of the cover's judgement table, each in printed order."""
    labels: list[tuple[str, Block]] = []
    words: list[str] = []
    pending: list[str] = []        # grade words printed before the first label
    for b in blocks:
        cells = [clean(c) for c in b.cells if clean(c)] if b.cells else []
        text = clean(" ".join(cells) if cells else b.text)
        if b.number is not None and b.kind == "paragraph":
            text = f"{b.number}. {text}"
        if _GRADE_PIECE.match(text):
            (words if labels else pending).extend(_GRADE_WORD.findall(text))
            continue
        m = _ITEM.match(text)
        bare = not m and len(text) < 100 and _BARE_LABEL.match(text)
        if (m or bare) and len(text) < 160:
            if not labels:
                words.extend(pending)
            body = text[m.end():] if m else text
            grade_words = [w for g in _GRADE_IN_LABEL.findall(body) for w in _GRADE_WORD.findall(g)]
            label = clean(_GRADE_IN_LABEL.sub(" ", body))
            labels.append((f"{m.group(1)} {label}" if m else label, b))
            words.extend(grade_words)
            continue
        if labels and _OVERALL.search(text) and len(text) < 200:
            continue               # a second cover (the hostile case): its rows are read too
        if labels and len(text) > 60:
            break                  # the table has ended
        if not labels:
            pending = []
    return labels, words


def cover_judgements(doc: Document, cover: Cover) -> tuple[list[Judgement], list[str]]:
    """The overall judgement and the cover table's judgements, with areas printed "Not judged".

    :return: the judgements and the area keys the cover prints as not judged.
    :raise IngestError: no overall judgement, no table, or a table whose rows and grades do not
        pair up.
    """
    blocks = doc.blocks[:cover.end_index]
    overall, after = _overall(doc, blocks)
    labels, words = _table_streams(blocks[after:])
    for b in blocks[after:]:
        m = _OVERALL.search(clean(b.text)) if len(b.text) < 200 else None
        if m and sif_grade(m.group("grade")) != overall.grade:
            raise IngestError(doc.path, f"the cover prints two overall judgements ({overall.printed_grade!r}, "
                                        f"{clean(m.group('grade'))!r})")
    if not labels:
        raise IngestError(doc.path, "no judgement table on the cover")
    grades = grades_from_words(words)
    if len(grades) != len(labels):
        raise IngestError(doc.path, f"cover judgement table has {len(labels)} rows but {len(grades)} grades "
                                    f"({', '.join(grades) or 'none'})")
    judgements = [overall]
    not_judged: list[str] = []
    seen: dict[str, Judgement] = {}
    for (label, b), printed in zip(labels, grades):
        key = area_key(label)
        if key is None:
            continue
        if patterns.grade_key(printed) == "not-judged":
            not_judged.append(key)
            continue
        grade = sif_grade(printed)
        if grade is None:
            raise IngestError(doc.path, f"cover judgement {label!r} has an unrecognised grade {printed!r}")
        if key in seen:
            if seen[key].grade != grade:
                raise IngestError(doc.path, f"two cover judgement tables disagree on {label!r}")
            continue
        seen[key] = Judgement(key, grade, re.sub(r"^[\d.]+\s+", "", label), printed, source=Source.of(b))
    judgements.extend(seen.values())
    board = _cover_board(blocks[after:])
    if board:
        judgements.append(board)
    return judgements, not_judged


def _cover_board(blocks: tuple[Block, ...]) -> Judgement | None:
    """The LSCB's judgement where the cover prints it ("The effectiveness of the Local
    Safeguarding Children Board (LSCB) is" / "requires improvement")."""
    for i, b in enumerate(blocks):
        text = clean(b.text + (" " + blocks[i + 1].text if i + 1 < len(blocks) else ""))
        m = _LSCB_COVER.match(text)
        if m and sif_grade(m.group("grade")):
            return Judgement("lscb", sif_grade(m.group("grade")), "The Local Safeguarding Children Board",
                             clean(m.group("grade")), subject="board", source=Source.of(b))
    return None
