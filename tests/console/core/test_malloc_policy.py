"""The console process fixes glibc's mmap threshold: a 200 KiB block allocated after a 4 MiB one
was freed is still mapped on its own (returned to the OS when freed), where glibc's dynamic
threshold would have put it in the heap. Each case runs in a fresh interpreter: the setting is
process-wide and the test process's allocation history is unknown."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = r"""
import ctypes, json, sys
{setup}
import numpy as np

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
big = np.ones(4 << 20, np.uint8)  # mapped singly (above the default 128 KiB threshold) ...
del big  # ... and freeing it raises glibc's dynamic threshold to 4 MiB
before = libc.mallinfo2().hblkhd
block = np.ones(200 << 10, np.uint8)
print(json.dumps({{"mapped": libc.mallinfo2().hblkhd - before, "applied": {applied}}}))
"""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="glibc only",
)


def run(setup: str, applied: str) -> dict[str, int]:
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES",)}
    env.pop("MALLOC_MMAP_THRESHOLD_", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(setup=setup, applied=applied)],
        capture_output=True, text=True, check=True, env=env, timeout=60,
    ).stdout  # fmt: skip
    return json.loads(out)


def test_without_the_policy_the_threshold_drifts_up() -> None:
    # The premise: glibc's dynamic threshold puts the 200 KiB block in the heap.
    assert run("", "None")["mapped"] == 0


def test_the_policy_keeps_medium_blocks_mapped() -> None:
    got = run(
        "from console.core.malloc_policy import fix_mmap_threshold\nok = fix_mmap_threshold()",
        "ok",
    )
    assert got["applied"] is True
    assert got["mapped"] >= 200 << 10


def test_the_service_applies_it() -> None:
    setup = (
        "from console.core import malloc_policy\n"
        "from console.core.service import ConsoleService\n"
        "from station_config.loader import DEMO_CONFIG, load_network\n"
        "ConsoleService(load_network(DEMO_CONFIG), journal_path=None)\n"
        "ok = malloc_policy._applied"
    )
    got = run(setup, "ok")
    assert got["applied"] is True
    assert got["mapped"] >= 200 << 10
