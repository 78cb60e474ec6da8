"""A journal alarm transition worded in the report's language from its fields, through the
real catalogues; what it cannot word stays as recorded."""

from __future__ import annotations

import time

import pytest

from console import cli_i18n
from console.core.events import JournalEvent, Kind, Priority
from console.core.journal.alarm_words import alarm_words

KEY = "xg-001/room_temp[8]/room_low"


def _alarm(message: str, **kw: object) -> JournalEvent:
    return JournalEvent(Kind.ALARM, message, alarm=kw.pop("alarm", KEY),
                        priority=Priority.MEDIUM, **kw)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def zh():  # type: ignore[no-untyped-def]
    cli_i18n.use("zh_CN")
    yield cli_i18n.translate
    cli_i18n.use("en")


def test_room_alarm_in_chinese(zh) -> None:  # type: ignore[no-untyped-def]
    e = _alarm(f"{KEY} room temperature low: 17.7 (limit 18) — active", value=17.7, limit=18.0)
    assert alarm_words(e, zh) == "室温低：17.7（限值 18）— 报警"
    cleared = _alarm(f"{KEY} room temperature low: 18.4 (limit 18) — cleared", value=18.4,
                     limit=18.0)  # fmt: skip
    assert alarm_words(cleared, zh).endswith("— 恢复")


def test_leak_says_rate_and_start_in_chinese(zh) -> None:  # type: ignore[no-untyped-def]
    since = time.mktime((2026, 12, 7, 21, 57, 0, 0, 0, -1))
    e = _alarm(
        "jx-002/makeup_flow/leak_suspected suspected leak ≈ 1.5 m³/h since 21:57 — active",
        alarm="jx-002/makeup_flow/leak_suspected", value=1.5, limit=0.0,
        details={"leak_m3h": 1.5, "leak_since": since, "lower_bound": False},
    )  # fmt: skip
    assert alarm_words(e, zh) == "疑似泄漏 ≈ 1.5 m³/h，始于 21:57 — 报警"


def test_english_reads_as_recorded_without_the_key() -> None:
    e = _alarm(f"{KEY} room temperature low: 17.7 (limit 18) — active", value=17.7, limit=18.0)
    assert alarm_words(e, cli_i18n.translate) == "room temperature low: 17.7 (limit 18) — active"


def test_what_it_cannot_word_stays_as_recorded(zh) -> None:  # type: ignore[no-untyped-def]
    odd = _alarm(f"{KEY} room temperature low: 17.7 — suppressed by design (pump stop)")
    assert alarm_words(odd, zh) == odd.message
    comm = JournalEvent(Kind.COMM, "xg-001: communication ok", station="xg-001")
    assert alarm_words(comm, zh) == comm.message
    unknown = _alarm("x/y/new_rule something — active", alarm="x/y/new_rule")
    assert alarm_words(unknown, zh) == unknown.message


def test_a_state_alarm_has_no_value(zh) -> None:  # type: ignore[no-untyped-def]
    e = _alarm("xg-002/alarm_bits/pump1_fault pump 1 fault: 1 (limit 0.5) — active",
               alarm="xg-002/alarm_bits/pump1_fault", value=1.0, limit=0.5)  # fmt: skip
    assert alarm_words(e, zh) == "1# 泵故障 — 报警"


def test_the_log_table_words_an_advisory_in_chinese(zh) -> None:  # type: ignore[no-untyped-def]
    """`heatconsole log` in zh_CN: an advisory row from its fields, station first."""
    from console.core.journal.handover import ReportWords

    at = time.mktime((2026, 12, 8, 2, 0, 0, 0, 0, -1))
    e = JournalEvent(Kind.ADVISORY, "jx-001: coldest rooms forecast below 18 °C in ~3 h (≈ 02:00)",
                     station="jx-001", limit=18.0, action="raise", priority=Priority.INFO,
                     details={"lead_h": 3.2, "crossing_at": at})  # fmt: skip
    assert ReportWords(zh).message(e) == "jx-001: 最冷房间预计约 3 小时后（≈ 02:00）低于 18 °C"
    assert ReportWords(lambda _c, t: t).message(e) == e.message  # English: as recorded
