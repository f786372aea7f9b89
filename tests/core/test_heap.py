"""core.heap on the real C library: the settings take, and freed large blocks leave the process."""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from core import heap

ROOT = Path(__file__).resolve().parents[2]

# 200 MB of results in 5 MB blocks between small objects that stay, after glibc has raised its
# mmap threshold past a freed 16 MB block: without configure() all 200 MB stay resident
CHILD = r'''
from core import heap
assert heap.configure()
freed = b"x" * (16 * 1024 * 1024)
del freed
start = heap.resident_mb()
blocks, kept = [], []
for _ in range(40):
    blocks.append(b"x" * (5 * 1024 * 1024))
    kept.append(b"y" * 8192)
held = heap.resident_mb()
del blocks
print(start, held, heap.resident_mb())
'''


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_resident_size_is_read():
    assert 5 < heap.resident_mb() < 100_000


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt and malloc_trim")
def test_freed_large_blocks_go_back_to_the_system():
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    start, held, after = (int(x) for x in out.split())
    assert held - start >= 190
    assert after - start < 20, (start, held, after)
    heap.trim()                  # and trimming this process is harmless
