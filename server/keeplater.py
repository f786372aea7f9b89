"""After a write through the server, the derived graphs are rebuilt and the new state's whole
answers kept by a process of their own (``python -m server.keepanswers STORE``,
:func:`server.keepanswers.keep_in_turn`), as ``ofsted-kg ingest`` does after its write: the
server's memory and its visitors' queries stay their own, the canned queries read their flat
tables again, and no visitor's first ask of a whole table at 150 x 10 takes its 1-2.5 s.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from core import lock, settings

from .answerfiles import AnswerFiles, answers_folder

log = logging.getLogger(__name__)

#: where the package is: the folder a keeper process runs in
ROOT = Path(__file__).resolve().parents[1]


def to_keep(values: dict) -> AnswerFiles | None:
    """The answer files the whole answers of the store in settings ``values`` are still to be
    kept in, for its state as it is now; None when there is nothing to do (a remote store, files
    or ``ANSWERS_AT_INGEST`` off, or every answer of this state asked already)."""
    root = answers_folder(values)
    if root is None or not values["ANSWERS_AT_INGEST"]:
        return None
    files = AnswerFiles(root, 0)
    return None if files.asked(lock.stamp(values["STORE"])) else files


def keep_later(values: dict) -> subprocess.Popen | None:
    """After a write through the server: rebuild the derived graphs (``DERIVED_AFTER_WRITE``),
    then keep the new state's whole answers, in a process of its own, started here and not
    waited for, with the server's settings ``values``.

    :return: the keeper process, or None when there is nothing to do (neither, :func:`to_keep`)
        or it could not be started (logged).
    """
    if not values["DERIVED_AFTER_WRITE"] and to_keep(values) is None:
        return None
    environment = dict(os.environ, **settings.environment(values))
    try:
        process = subprocess.Popen([sys.executable, "-m", "server.keepanswers", str(values["STORE"])],
                                   cwd=ROOT, env=environment, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:          # the write is in: its answers are computed when first asked
        log.warning("no answer keeper started after the write (%s): each whole answer is computed "
                    "on its first ask", exc)
        return None
    threading.Thread(target=process.wait, name="answer-keeper", daemon=True).start()  # no zombie
    return process
