"""The poll table's lines: every cell from config or device made inert on its way out."""

from __future__ import annotations

from collections.abc import Callable

from console.terminal_table import HEADER, Row, render


def test_every_cell_and_the_summary_are_inert(
    hostile: tuple[str, ...], assert_inert: Callable[[str], None]
) -> None:
    rows = [
        Row(f"st-{i}", h, "FAILED", "FAILED/COMM_FAIL", "", "", "", "", "", h, h)
        for i, h in enumerate(hostile)
    ]
    lines = render(rows, summary="note: " + hostile[0], width=400)
    text = "\n".join(lines)
    assert_inert(text)
    assert len(lines) == len(rows) + 2 and lines[0].startswith(HEADER.station_id)
    assert "\\x07" in lines[-1]  # the bell is shown as what it is
