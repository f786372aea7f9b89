"""The C heap of the server's processes (glibc's malloc): how it is set up and given back.

A web worker's threads and a query worker's engine free large results, but glibc keeps what
they freed for reuse: in one arena per thread (up to eight per core) and, for large blocks, in
the heap once its adaptive mmap threshold has grown past them. :func:`configure` caps both in
the process that calls it (a process it forks inherits the setting); :func:`trim` hands what
is free back to the system. Elsewhere than glibc both do nothing.
"""
from __future__ import annotations

import ctypes
import functools
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
ARENAS = 2                          # malloc arenas per process (glibc's default: 8 per core)
MMAP_THRESHOLD = 4 * 1024 * 1024    # blocks at least this large are mapped alone, unmapped on free
TRIM_THRESHOLD = 8 * 1024 * 1024    # free memory at the heap's top beyond this goes back at once


@functools.cache
def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def configure(arenas: int = ARENAS, mmap_threshold: int = MMAP_THRESHOLD,
              trim_threshold: int = TRIM_THRESHOLD) -> bool:
    """Cap this process's malloc arenas and fix its mmap and trim thresholds (glibc's ``mallopt``).

    Blocks of a big result (150 x 10: bodies of 12-27 MB) are then unmapped when freed; smaller
    ones (national: 1-3 MB) are reused from the heap. A 1 MB mmap threshold (with glibc's
    128 KB trim threshold, fixed once the mmap threshold is set) cost 40% more CPU per cached
    3 MB page, each copy faulting its pages in again; 4 MB and 8 MB cost less than glibc's
    adaptive default. Call it before the process starts threads or forks workers: arenas
    already made stay.

    :return: False when the C library is not glibc (nothing was changed) or refused a setting
        (``mallopt`` answers 0).
    """
    libc = _libc()
    if libc is None:
        return False
    answers = [libc.mallopt(option, value) for option, value in
               ((M_ARENA_MAX, arenas), (M_MMAP_THRESHOLD, mmap_threshold), (M_TRIM_THRESHOLD, trim_threshold))]
    return all(answer == 1 for answer in answers)


def trim() -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim(0)``; a few ms to
    tens of ms on a heap of hundreds of MB)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def resident_mb() -> int:
    """This process's resident memory in MiB (0 when /proc cannot tell)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0
