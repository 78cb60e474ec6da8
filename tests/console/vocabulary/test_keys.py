"""PointKey and AlarmKey: the old strings byte for byte, named parts, clear refusals."""

from __future__ import annotations

import copy
import json
import pickle
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from console.core.alarms import AlarmEngine
from console.core.events import Kind
from console.core.journal.store import SELECT_COLUMNS, connect, event_from_row
from console.core.journal.writer import JournalWriter
from console.vocabulary.keys import AlarmKey, KeyTextError, PointKey
from station_config.schema import NetworkDef


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("jx-001/room_temp[17]/room_low", ("jx-001", "room_temp[17]", "room_low")),
        ("0-7_b/station/comm_fail", ("0-7_b", "station", "comm_fail")),
        ("xg-002/rooms/room_critical", ("xg-002", "rooms", "room_critical")),
    ],
)
def test_alarm_key_round_trip(text: str, parts: tuple[str, str, str]) -> None:
    k = AlarmKey.parse(text)
    assert (k.station, k.point, k.rule) == parts == k.parts
    assert str(k) == text and type(str(k)) is str
    assert AlarmKey.of(*parts) == k and type(AlarmKey.of(*parts)) is AlarmKey
    assert k.point_key == PointKey.of(parts[0], parts[1]) == f"{parts[0]}/{parts[1]}"
    assert type(k.point_key) is PointKey
    assert AlarmKey.parse(k) is k  # already a key: no new object


def test_point_key_round_trip() -> None:
    k = PointKey.parse("jx-001/t3_secondary_supply")
    assert (k.station, k.point) == ("jx-001", "t3_secondary_supply") == k.parts
    assert str(k) == "jx-001/t3_secondary_supply"
    assert PointKey.of("jx-001", "room_temp[3]").point == "room_temp[3]"


def test_equal_and_hashed_as_the_old_strings() -> None:
    """Dicts and sets keyed by the plain strings (engine shelves, window trend lists, mirrors)
    find a key, and the other way round."""
    text = "jx-001/room_temp[3]/room_low"
    k = AlarmKey.parse(text)
    assert k == text and hash(k) == hash(text)
    assert {text: 1}[k] == 1 and {k: 2}[text] == 2
    assert k in {text} and text in {k}
    assert sorted([AlarmKey.parse("b/p/r"), "a/p/r"]) == ["a/p/r", "b/p/r"]
    assert PointKey.parse("jx-001/t1") != AlarmKey.parse("jx-001/t1/x")


@pytest.mark.parametrize(
    "bad",
    ["", "jx-001", "jx-001/t1", "jx-001//room_low", "/t1/r", "jx-001/t1/", "a/b/c/d", "a/b/c/"],
)
def test_alarm_key_refuses_other_shapes(bad: str) -> None:
    with pytest.raises(KeyTextError, match=r"AlarmKey .* is not `station/point/rule`") as e:
        AlarmKey.parse(bad)
    assert repr(bad) in str(e.value)  # the message names the text
    assert isinstance(e.value, ValueError)  # callers catching ValueError keep working
    assert AlarmKey.try_parse(bad) is None


@pytest.mark.parametrize("bad", ["jx-001", "jx-001/", "/t1", "jx-001/t1/room_low", "a//b"])
def test_point_key_refuses_other_shapes(bad: str) -> None:
    with pytest.raises(KeyTextError, match=r"PointKey .* is not `station/point`"):
        PointKey.parse(bad)
    assert PointKey.try_parse(bad) is None


def test_not_text_is_refused_by_name() -> None:
    for bad in (None, 5, b"jx-001/t1/room_low", ("jx-001", "t1", "room_low")):
        with pytest.raises(KeyTextError, match="must be text `station/point/rule`"):
            AlarmKey.parse(bad)
        assert AlarmKey.try_parse(bad) is None


def test_parts_with_a_slash_or_empty_are_refused_naming_the_part() -> None:
    """The configuration forbids "/" in station ids and point names; a key refuses it too, so
    a key text always splits back into the parts it was built from."""
    with pytest.raises(KeyTextError, match=r"point 'a/b' is empty or holds '/'"):
        AlarmKey.of("jx-001", "a/b", "room_low")
    with pytest.raises(KeyTextError, match=r"station '' is empty"):
        AlarmKey.of("", "t1", "room_low")
    with pytest.raises(KeyTextError, match=r"rule 'x/' is empty or holds '/'"):
        AlarmKey.of("jx-001", "t1", "x/")
    with pytest.raises(KeyTextError, match=r"point '' is empty"):
        PointKey.of("jx-001", "")


def test_same_bytes_in_json_pickle_and_sqlite(tmp_path: Path) -> None:
    text = "jx-001/room_temp[17]/room_low"
    k = AlarmKey.parse(text)
    assert json.dumps({k: [k]}) == json.dumps({text: [text]})
    for back in (pickle.loads(pickle.dumps(k)), copy.deepcopy(k), copy.copy(k)):
        assert back == k and type(back) is AlarmKey
    db = sqlite3.connect(tmp_path / "k.sqlite")
    db.execute("CREATE TABLE t (k TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (k,))
    db.commit()
    assert db.execute("SELECT k, typeof(k), hex(k) FROM t").fetchone() == (
        text,
        "text",
        text.encode().hex().upper(),
    )
    assert db.execute("SELECT count(*) FROM t WHERE k = ?", (text,)).fetchone() == (1,)
    db.close()


@pytest.fixture
def engine(small_network: NetworkDef) -> AlarmEngine:
    return AlarmEngine(small_network)


def test_engine_keys_are_alarm_keys_in_the_old_form(engine: AlarmEngine) -> None:
    """Every slot's key is an AlarmKey with the text the engine always wrote, and the engine
    finds a slot by its key as by the plain text."""
    s = engine.slots
    for g in range(s.n):
        k = engine.key(g)
        assert type(k) is AlarmKey
        lay = s.layouts[int(s.station[g])]
        assert k.station == lay.station.id
        assert engine.slot(str(k)) == g == engine.slot(k)
        assert str(AlarmKey.of(*k.parts)) == k


def test_engine_refuses_a_malformed_key_as_unknown(engine: AlarmEngine) -> None:
    for bad in ("jx-001/room_temp[1]", "jx-001/room_temp[1]/room_low/x", "", "jx-001//room_low"):
        with pytest.raises(KeyError):
            engine.slot(bad)


def test_operator_event_key_journalled_byte_identical(
    engine: AlarmEngine, small_network: NetworkDef, tmp_path: Path
) -> None:
    """An operator action's alarm key goes through a real journal file and comes back as the
    same text, with station and point taken from the key."""
    sid = small_network.stations[0].id
    key = f"{sid}/room_temp[1]/room_low"
    evs = engine.shelve(key, "wang", "sensor under repair", duration_s=600, now=10.0)
    (ev,) = [e for e in evs if e.kind == Kind.OPERATOR]
    assert (ev.alarm, ev.station, ev.point) == (key, sid, "room_temp[1]")
    jw = JournalWriter(tmp_path / "journal.sqlite")
    jw.submit_many(evs)
    jw.flush(30)
    jw.close()
    conn = connect(tmp_path / "journal.sqlite")
    row = conn.execute(f"SELECT {SELECT_COLUMNS} FROM events WHERE id = ?", (ev.id,)).fetchone()
    raw = conn.execute("SELECT hex(alarm) FROM events WHERE id = ?", (ev.id,)).fetchone()[0]
    conn.close()
    assert bytes.fromhex(raw) == key.encode()
    back = event_from_row(row)
    assert back.alarm == key and back.station == sid and back.point == "room_temp[1]"
    assert np.isfinite(back.time)
