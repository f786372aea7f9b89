"""Authorities of Ofsted's outcome sheets: a printed name (or GSS code) -> the register's entry,
chosen by the inspection's date where names repeat (an authority and its successor) and among
ended authorities for the sheets' tables of former authorities."""
from __future__ import annotations

import datetime as dt
import re

from core.authorities import Authority, Register, alive, core_name, normal_name

from ..model import UnknownAuthority

#: a GSS code of an English upper-tier authority, as the sheets print it
GSS_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")


class TableAuthorities:
    """Resolves printed names (or codes) to register entries, by date when names repeat."""

    def __init__(self, reg: Register, path: str):
        self.reg = reg
        self.path = path
        self.by_name: dict[str, list[Authority]] = {}
        for a in reg:
            for n in {normal_name(x) for x in (a.name, a.short_name, *a.alt_names)}:
                self.by_name.setdefault(n, []).append(a)

    def resolve(self, name: str, code: str, when: dt.date | None, former: bool) -> Authority:
        """The register's entry for a row's authority.

        :param code: the GSS code the sheet prints ("" when none).
        :param when: the inspection's date, to choose among same-named authorities.
        :param former: the row is in a table of authorities that no longer exist.
        :raise UnknownAuthority: when the register knows neither the code nor the name.
        """
        if code and GSS_CODE.match(code):
            found = self.reg.by_gss.get(code)
            if found is None:
                raise UnknownAuthority(self.path, f"authority {name!r} (code {code}) is not in the "
                                                  "register (core/data/authorities*.csv)")
            return found
        candidates = self.by_name.get(normal_name(name), [])
        if former and not any(a.end_date for a in candidates):
            ended = [a for a in self.reg if a.end_date and core_name(name) in
                     {core_name(x) for x in (a.name, a.short_name, *a.alt_names)}]
            if len(ended) == 1:
                return ended[0]
        if len(candidates) > 1:
            living = [a for a in candidates if alive(a, when)]
            if former and len(living) != 1:
                living = [a for a in candidates if a.end_date]
            if len(living) == 1:
                return living[0]
        elif len(candidates) == 1:
            return candidates[0]
        found = self.reg.lookup(name)
        if found is None:
            raise UnknownAuthority(self.path, f"authority {name!r} is not in the register "
                                              "(core/data/authorities*.csv)")
        return found
