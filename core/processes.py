"""Linux process settings through ``prctl``: a process's name, and a signal when its parent dies.
Elsewhere both do nothing."""
from __future__ import annotations

import ctypes

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15


def _prctl(option: int, value) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def die_with_parent(sig: int) -> None:
    """Get ``sig`` when the parent process dies, so this one never outlives it."""
    _prctl(PR_SET_PDEATHSIG, int(sig))


def name_process(name: str) -> None:
    """This process's name as ``ps -o comm``, ``top`` and /proc/PID/comm show it (15 bytes at most)."""
    _prctl(PR_SET_NAME, name.encode("utf-8")[:15])
