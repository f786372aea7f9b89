"""A faster reader of PDF content streams for pdfminer's page interpreter.

pdfminer.six tokenises content streams in pure Python, a character class at a time, and that
was about two thirds of the time ingest spent on a report (profiled on five reports of
``../shared/corpus-national``: 416,000 ``nextobject`` calls, 38 of 59 profiled seconds).
``FastInterpreter`` cuts a page's content into the same objects (numbers, names, strings,
arrays, dictionaries, operators) with one regular expression, then runs pdfminer's own
operators on them, so the glyphs, and the text, are exactly pdfminer's.

Only the common, well-formed shape of content is read this way. Anything unusual (inline
images, ``#`` escapes in names, procedures, unbalanced or unterminated arrays, dictionaries
and strings, characters that start no token) sends the whole stream to pdfminer's own parser
instead, before any operator has run, so the result never depends on which path read it.
"""
from __future__ import annotations

import re

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import LIT

_TOKEN = re.compile(rb"""
    (?P<space>\s+)
  | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<name>/[^\s#/%\[\]()<>{}]*)(?![#])
  | (?P<string>\()
  | (?P<dict_open><<)
  | (?P<dict_close>>>)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<array_open>\[)
  | (?P<array_close>\])
  | (?P<operator>[A-Za-z][^\s#/%\[\]()<>{}]*|['"])
  | (?P<comment>%[^\r\n]*)
""", re.X)
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_STRING_STOP = re.compile(rb"[()\\]")
_OCTAL = b"01234567"
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13,
            ord("("): 40, ord(")"): 41, ord("\\"): 92}


class UnusualContent(Exception):
    """Content this reader leaves to pdfminer."""


class _Operator(bytes):
    """An operator's name, as a token (strings are plain ``bytes``)."""


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string starting after its ``(``, decoded as pdfminer decodes it.

    :return: the bytes and the position after the closing ``)``.
    """
    out = bytearray()
    depth = 1
    n = len(data)
    while True:
        m = _STRING_STOP.search(data, i)
        if m is None:
            raise UnusualContent("unterminated string")
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x28:                      # (
            depth += 1
            out.append(c)
            i = j + 1
        elif c == 0x29:                    # )
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
            i = j + 1
        else:                              # backslash
            i = j + 1
            if i >= n:
                raise UnusualContent("unterminated string")
            c = data[i]
            if c in _OCTAL:
                k = i
                while k < n and k - i < 3 and data[k] in _OCTAL:
                    k += 1
                code = int(data[i:k], 8)
                if code > 255:
                    raise UnusualContent("octal escape out of range")
                out.append(code)
                i = k
            elif c in _ESCAPES:
                out.append(_ESCAPES[c])
                i += 1
            elif c == 0x0D and data[i + 1:i + 2] == b"\n":
                i += 2                     # a line continuation
            else:
                i += 1                     # pdfminer drops the backslash and the character


def _hex(token: bytes) -> bytes:
    return _HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), _SPACE.sub(b"", token[1:-1]))


def _container(stack: list, kind: str, close: str) -> object:
    if len(stack) < 2 or stack[-1][0] != kind:
        raise UnusualContent(f"unbalanced {close}")
    _, items = stack.pop()
    if kind == "a":
        return items
    if len(items) % 2 or any(not hasattr(k, "name") or not isinstance(k.name, str) for k in items[::2]):
        raise UnusualContent("odd dictionary")
    return {k.name: v for k, v in zip(items[::2], items[1::2])}


def objects(data: bytes) -> list:
    """The top-level objects of a content stream, in order: operators as ``_Operator``.

    :raise UnusualContent: content this reader does not take on.
    """
    stack: list = [("top", [])]
    pos, n = 0, len(data)
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos)
        if m is None:
            raise UnusualContent(f"unexpected byte {data[pos:pos + 1]!r}")
        kind = m.lastgroup
        token = m.group()
        pos = m.end()
        if kind == "space" or kind == "comment":
            continue
        if kind == "number":
            value = float(token) if b"." in token else int(token)
        elif kind == "operator":
            if token == b"true" or token == b"false":
                value = token == b"true"
            elif len(stack) > 1 or token in (b"BI", b"ID", b"EI"):
                raise UnusualContent("operator inside an array or dictionary, or an inline image")
            else:
                value = _Operator(token)
        elif kind == "name":
            try:
                value = LIT(str(token[1:], "utf-8"))
            except UnicodeDecodeError:
                raise UnusualContent("name not in UTF-8") from None
        elif kind == "string":
            value, pos = _string(data, pos)
        elif kind == "hex":
            value = _hex(token)
        elif kind == "array_open" or kind == "dict_open":
            stack.append(("a" if kind == "array_open" else "d", []))
            continue
        elif kind == "array_close":
            value = _container(stack, "a", "]")
        else:
            value = _container(stack, "d", ">>")
        stack[-1][1].append(value)
    if len(stack) > 1:
        raise UnusualContent("unterminated array or dictionary")
    return stack[0][1]


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, reading content streams with ``objects``."""

    def __init__(self, rsrcmgr, device) -> None:   # noqa: ANN001 - pdfminer's signature
        super().__init__(rsrcmgr, device)
        self._operators: dict[bytes, tuple | None] = {}

    def _operator(self, name: bytes):
        found = self._operators.get(name, 0)
        if found == 0:
            method = "do_" + name.decode("latin-1").replace("*", "_a").replace('"', "_w").replace("'", "_q")
            func = getattr(self, method, None)
            found = self._operators[name] = (func, func.__code__.co_argcount - 1) if func else None
        return found

    def execute(self, streams) -> None:   # noqa: ANN001 - pdfminer's signature
        """Run the operators of ``streams``: read here when the content is ordinary, else by
        pdfminer (the same checks for streams that refer to themselves come first)."""
        chosen = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                return super().execute(streams)     # pdfminer warns and skips these
            chosen.append(stream)
        try:
            program = objects(b"\n".join(s.get_data() for s in chosen))
        except UnusualContent:
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in chosen)
        push, pop = self.push, self.pop
        for obj in program:
            if type(obj) is not _Operator:
                push(obj)
                continue
            found = self._operator(obj)
            if found is None:
                continue
            func, nargs = found
            if nargs:
                args = pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()
