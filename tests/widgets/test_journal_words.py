"""A journal row in the interface's words: rules, points, comm states and operator actions from
the row's fields (a real journal's rows), the recorded English kept for the tooltip."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from console.core.events import JournalEvent, Kind
from console.core.journal.query import Filters, query
from console.core.journal.writer import JournalWriter
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.journal_actions import CONTEXT as ACTION_CONTEXT
from tests.widgets.test_zh_cn import zh  # noqa: F401  (the fixture)
from widgets.journal_viewer import COLUMNS, JournalViewer
from widgets.journal_words import ACTION_TEXT, COMM_TEXT, WRITE_STATUS, event_text

T0 = 1_700_000_000.0


def journal_rows(tmp_path: Path) -> list[dict]:
    """Rows as the doorway hands them over, from a real journal file (the engine's shapes)."""
    evs = [
        JournalEvent(Kind.ALARM, "xg-002/room_temp[122]/room_low room temperature low: 17.6 "
                     "(limit 18) — active", time=T0, station="xg-002", district="xigong",
                     point="room_temp[122]", alarm="xg-002/room_temp[122]/room_low",
                     priority=Priority.MEDIUM, state=AlarmState.UNACK, value=17.6, limit=18.0),
        JournalEvent(Kind.COMM, "jx-001: communication failed (timeout)", time=T0 + 1,
                     station="jx-001", district="jianxi",
                     details={"comm": "communication failed", "error": "timeout"}),
        JournalEvent(Kind.OPERATOR, "wang: ack xg-002/room_temp[122]/room_low — seen",
                     time=T0 + 2, station="xg-002", point="room_temp[122]",
                     alarm="xg-002/room_temp[122]/room_low", user="wang", action="ack",
                     comment="seen"),
        JournalEvent(Kind.OPERATOR, "li: write xg-002.t3_fixed_setpoint 55.0 -> 57.0: done",
                     time=T0 + 3, station="xg-002", point="t3_fixed_setpoint", value=57.0,
                     user="li", action="write", details={"old": 55.0, "status": "done"}),
        JournalEvent(Kind.SYSTEM, "console stopped by wang", time=T0 + 4, action="stop",
                     user="wang"),
        JournalEvent(Kind.SYSTEM, "something new", time=T0 + 5, action="brand_new"),
        JournalEvent(Kind.ADVISORY, "jx-001: coldest rooms forecast below 18 °C in ~3 h "
                     "(≈ 02:00)", time=T0 + 6, station="jx-001", point="room_temp_min",
                     priority=Priority.INFO, value=17.4, limit=18.0, action="raise",
                     details={"lead_h": 3.2, "crossing_at": T0 + 3 * 3600}),
        JournalEvent(Kind.ADVISORY, "jx-001: cold-room advisory cleared: room below the limit "
                     "(alarm)", time=T0 + 7, station="jx-001", point="room_temp_min",
                     priority=Priority.INFO, limit=18.0, action="clear"),  # before "why"
    ]  # fmt: skip
    w = JournalWriter(tmp_path / "j.sqlite")
    w.submit_many(evs)
    assert w.close()
    with sqlite3.connect(tmp_path / "j.sqlite") as db:
        return [e.to_row() for e in query(db, Filters())]


def test_rows_in_english_from_their_fields(qapp, tmp_path) -> None:
    rows = {r["time"]: r for r in journal_rows(tmp_path)}
    assert event_text(rows[T0]) == "room temperature low"
    assert event_text(rows[T0 + 1]) == "communication failed (timeout)"
    assert event_text(rows[T0 + 2]) == "acknowledged · xg-002 Room 122 · room temperature low"
    assert event_text(rows[T0 + 3]) == "setpoint write T3 fixed setpoint: done, read back"
    assert event_text(rows[T0 + 4]) == "console stopped"
    assert event_text(rows[T0 + 5]) == "something new"  # not known: as recorded
    clock = time.strftime("%H:%M", time.localtime(T0 + 3 * 3600))
    assert event_text(rows[T0 + 6]) == f"coldest rooms forecast below 18 °C in ~3 h (≈ {clock})"
    assert event_text(rows[T0 + 7]) == "cold-room advisory cleared: room below the limit (alarm)"


def test_rows_in_chinese_and_the_recorded_text_in_the_tooltip(qtbot, zh, tmp_path) -> None:  # noqa: F811
    from PySide6.QtCore import Qt

    rows = journal_rows(tmp_path)
    v = JournalViewer(now=lambda: T0 + 60)
    qtbot.addWidget(v)
    v.set_districts({"xigong": "西工区", "jianxi": "涧西区"})
    v.model.set_rows(rows)
    col = {name: i for i, (name, _) in enumerate(COLUMNS)}
    shown = {}
    for r in range(v.model.rowCount()):
        row = v.model.row_dict(r)
        cell = {c: v.model.data(v.model.index(r, i)) for c, i in col.items()}
        shown[row["time"]] = cell
        tip = v.model.data(v.model.index(r, col["message"]), Qt.ItemDataRole.ToolTipRole)
        assert tip == row["message"]  # what the journal recorded, unchanged
    assert shown[T0]["message"] == "室温低" and shown[T0]["district"] == "西工区"
    assert shown[T0]["point"] == "房间 122"
    assert shown[T0 + 1]["message"].startswith("通讯") and shown[T0 + 1]["district"] == "涧西区"
    assert shown[T0 + 2]["message"].startswith("已确认") or "确认" in shown[T0 + 2]["message"]
    assert shown[T0 + 6]["message"].startswith("最冷房间预计约 3 小时后")
    assert shown[T0 + 6]["action"] == "发出预警" and shown[T0 + 7]["action"] == "预警解除"
    assert shown[T0 + 2]["action"] == "已确认"  # an operator's action in words too
    for t in (T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4, T0 + 6, T0 + 7):  # ids, tags, errors aside
        for c in ("message", "action"):
            text = shown[t][c]
            rest = text.replace("xg-002", "").replace("T3", "").replace("timeout", "")
            rest = rest.replace("°C", "")
            assert not any(ch.isascii() and ch.isalpha() for ch in rest), text
    # the district filter offers names and filters by id
    assert v.district_combo.itemText(v.district_combo.findData("xigong")) == "西工区"


@pytest.mark.parametrize(
    ("context", "table"),
    [("JournalWords", COMM_TEXT), (ACTION_CONTEXT, ACTION_TEXT), ("JournalWords", WRITE_STATUS)],
)
def test_every_phrase_has_a_chinese_translation(zh, context, table) -> None:  # noqa: F811
    from PySide6.QtCore import QCoreApplication

    for source in table.values():
        assert QCoreApplication.translate(context, source) != source, source
