"""Gunicorn's access log, with the bytes of a body sent from a file.

Gunicorn sends a file response (a kept answer, :mod:`server.answerfiles`; a dump,
:mod:`server.graphdump`) with ``sendfile``, which does not add to the count its access log
prints (``%(b)s``): every such line said 0 bytes, the biggest answers among them. A view that
answers with a file notes its size in the request's environ (:func:`note_file`); this logger
prints that size instead when gunicorn counted nothing for a 200 answer to a GET. (A
``sendfile`` broken off by the client raises in gunicorn, which logs that error too.)
"""
from __future__ import annotations

from gunicorn.glogging import Logger

#: the environ key of a file answer's body size
FILE_BYTES = "ofsted_kg.file_bytes"


def note_file(environ: dict, size: int) -> None:
    """Say that this request's answer is the ``size`` bytes of a file."""
    environ[FILE_BYTES] = size


class AccessLogger(Logger):
    """Gunicorn's logger, counting a body sent with ``sendfile`` (``logger_class``)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        size = environ.get(FILE_BYTES)
        if (size and not getattr(resp, "sent", 0) and environ.get("REQUEST_METHOD") == "GET"
                and str(resp.status).startswith("200")):
            atoms["b"], atoms["B"] = str(size), size
        return atoms
