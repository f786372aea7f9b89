"""server.memory: a web worker left large by a response hands the freed heap back after it,
and one below the line (or with the setting off) does not trim."""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# In a child process (its own heap): the app on the corpus store; 75 MB freed in 64 KB pieces
# between others that stay (holes glibc keeps, as after decoding a big result); then one
# request. Prints the resident MB before and after the request, and what the trimmer recorded.
CHILD = r'''
import sys
from core import heap
from tests.server.conftest import make_app
app = make_app(sys.argv[1], WEB_TRIM_MB=int(sys.argv[2]), QUERY_PROCESSES=1)
heap.configure()
client = app.test_client()
client.get("/queries").close()
pieces = [b"x" * (64 * 1024) for _ in range(1600)]
kept = pieces[::4]          # every fourth stays: the others are holes between them
del pieces
before = heap.resident_mb()
response = client.get("/queries")
response.close()
trimmer = app.extensions.get("ofsted_kg_trimmer")
print(before, heap.resident_mb(), trimmer.after_mb if trimmer else -1)
app.extensions["ofsted_kg"].pool.close()
'''

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc" or not Path("/proc/self/statm").exists(),
                                reason="glibc's malloc_trim, /proc")


def run_child(store_path, trim_mb: int) -> tuple[int, int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(store_path), str(trim_mb)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    before, after, recorded = (int(x) for x in out.split())
    return before, after, recorded


def test_a_large_worker_gives_the_freed_heap_back_after_the_response(store_path):
    before, after, recorded = run_child(store_path, 32)
    assert before - after >= 60, (before, after)
    assert recorded == after


def test_a_worker_below_the_line_keeps_its_heap(store_path):
    before, after, recorded = run_child(store_path, 4000)
    assert abs(before - after) < 20, (before, after)
    assert recorded == 0                   # it never trimmed


def test_the_setting_off_trims_nothing(store_path):
    before, after, recorded = run_child(store_path, 0)
    assert abs(before - after) < 20 and recorded == -1
