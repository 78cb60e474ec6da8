"""The history's SQLite file: schema, packing, two tiers, compaction, retention, reads.

Two tiers, so that writes stay append-only and reads of one point stay a handful of rows:

- `recent`: one row per station per writer commit (every ~30 s), holding that station's stored
  samples of all its points (series ids, times, values, qualities as packed numpy arrays).
  Cheap to write — about 760 small rows per commit — and what survives a killed process.
- `chunks`: once a time bucket (default 1 h) is over, each station's `recent` rows of that
  bucket are regrouped into one row per (series, bucket): times as int32 ms offsets from the
  bucket start, values as float32 offsets from a float64 base (exact to ~1e-7 relative even for
  epoch-sized counters), qualities as uint8. The row id is `bucket << 32 | series`, so rows are
  appended in time order (no scattered B-tree inserts) and a point's 24 h is 25 row look-ups.
  Retention by age is one range delete on the row id.

Same discipline as the journal: WAL (readers never block the single writer), one writer
thread, explicit BEGIN IMMEDIATE … COMMIT, synchronous=NORMAL (a trend may lose the last
commit on power loss, never its consistency; the journal is the record that fsyncs).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from console.core.own_files import foreign_reason, whole_or_not_at_all
from console.core.store_and_forward import closed_on_failure

SCHEMA_VERSION = 1
MAGIC = "heatconsole-history"
DEFAULT_BUCKET_S = 3600
SERIES_BITS = 32
DEFAULT_BUSY_TIMEOUT_MS = 5000

SCHEMA = (
    "CREATE TABLE history_meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE stations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE series (id INTEGER PRIMARY KEY, station INTEGER NOT NULL, point TEXT NOT NULL,"
    " UNIQUE (station, point))",
    "CREATE TABLE recent (id INTEGER PRIMARY KEY, station INTEGER NOT NULL,"
    " bucket INTEGER NOT NULL, t0 REAL NOT NULL, t1 REAL NOT NULL, n INTEGER NOT NULL,"
    " series BLOB, t BLOB, v BLOB, q BLOB)",
    "CREATE INDEX recent_station_bucket ON recent (station, bucket)",
    "CREATE TABLE chunks (id INTEGER PRIMARY KEY, t1 REAL NOT NULL, n INTEGER NOT NULL,"
    " base REAL NOT NULL, t BLOB, v BLOB, q BLOB)",
)


class HistoryError(Exception):
    """The file is missing, not a history store, or from a newer heatconsole."""


def connect(
    path: str | os.PathLike[str],
    *,
    create: bool = False,
    synchronous: str = "NORMAL",
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    bucket_s: int = DEFAULT_BUCKET_S,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """Open (with `create`, initialise) a history file; autocommit mode (explicit BEGINs)."""
    p = Path(path)
    if not create and not p.exists():
        raise HistoryError(f"no history store at {p}")
    reason = not_ours(p)
    if reason is not None:  # not ours: neither written nor given -wal/-shm companions
        raise HistoryError(reason)
    with whole_or_not_at_all(p, create):  # a half-made file would be refused as not ours
        return _open(p, create, synchronous, busy_timeout_ms, bucket_s, check_same_thread)


def not_ours(path: str | os.PathLike[str]) -> str | None:
    """Why the file at `path` is not a history store of ours (None: it is, or nothing is there)."""
    return foreign_reason(path, "history_meta", MAGIC, what="heatconsole history store")


def _open(
    p: Path,
    create: bool,
    synchronous: str,
    busy_timeout_ms: int,
    bucket_s: int,
    check_same_thread: bool,
) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(p), isolation_level=None, timeout=busy_timeout_ms / 1000,
        check_same_thread=check_same_thread,
    )  # fmt: skip
    with closed_on_failure(conn, HistoryError, f"{p} is not a heatconsole history store"):
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA cache_size = -32768")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "history_meta" not in tables and (tables or not create):
            raise HistoryError(f"{p} is not a heatconsole history store")
        if "history_meta" not in tables:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch {p} to WAL (journal_mode={mode})")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        if "history_meta" not in tables:
            _create(conn, bucket_s)
        meta = get_meta(conn)
        if meta.get("magic") != MAGIC:
            raise HistoryError(f"{p} is not a heatconsole history store")
        if int(meta.get("schema_version", "0")) > SCHEMA_VERSION:
            raise HistoryError(f"{p} was written by a newer heatconsole")
    return conn


def _create(conn: sqlite3.Connection, bucket_s: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='history_meta'").fetchone():
            for sql in SCHEMA:
                conn.execute(sql)
            meta = {"magic": MAGIC, "schema_version": str(SCHEMA_VERSION),
                    "bucket_s": str(int(bucket_s)), "created": str(time.time())}  # fmt: skip
            conn.executemany("INSERT INTO history_meta VALUES (?, ?)", list(meta.items()))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def get_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT key, value FROM history_meta")}


def bucket_seconds(conn: sqlite3.Connection) -> int:
    return int(get_meta(conn)["bucket_s"])


def chunk_id(bucket: int, series: int) -> int:
    return (int(bucket) << SERIES_BITS) | int(series)


# ---- ids ---------------------------------------------------------------------------------------


def station_id(conn: sqlite3.Connection, name: str, *, create: bool = True) -> int | None:
    row = conn.execute("SELECT id FROM stations WHERE name = ?", (name,)).fetchone()
    if row is None and create:
        return int(conn.execute("INSERT INTO stations (name) VALUES (?)", (name,)).lastrowid)
    return None if row is None else int(row[0])


def series_ids(conn: sqlite3.Connection, station: int, names: Sequence[str]) -> np.ndarray:
    """Series id of every point name of a station, creating missing ones (in a transaction)."""
    known = dict(conn.execute("SELECT point, id FROM series WHERE station = ?", (station,)))
    new = [n for n in names if n not in known]
    if new:
        conn.executemany(
            "INSERT INTO series (station, point) VALUES (?, ?)", [(station, n) for n in new]
        )
        known = dict(conn.execute("SELECT point, id FROM series WHERE station = ?", (station,)))
    return np.array([known[n] for n in names], dtype=np.int64)


def series_id(conn: sqlite3.Connection, station: str, point: str) -> tuple[int, int] | None:
    """(station id, series id) of a stored point, None if nothing was ever stored for it."""
    row = conn.execute(
        "SELECT s.id, p.id FROM stations s JOIN series p ON p.station = s.id"
        " WHERE s.name = ? AND p.point = ?",
        (station, point),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


# ---- samples -----------------------------------------------------------------------------------


@dataclass
class Samples:
    """Stored samples of one or more series (sorted by series, then time, when from a query)."""

    series: np.ndarray  # int64
    t: np.ndarray  # float64 epoch s
    v: np.ndarray  # float64
    q: np.ndarray  # uint8

    def __len__(self) -> int:
        return len(self.t)

    @staticmethod
    def concat(parts: Sequence[Samples]) -> Samples:
        if not parts:
            return Samples(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, np.uint8))
        return Samples(
            np.concatenate([p.series for p in parts]),
            np.concatenate([p.t for p in parts]),
            np.concatenate([p.v for p in parts]),
            np.concatenate([p.q for p in parts]),
        )


def insert_recent(conn: sqlite3.Connection, station: int, bucket_s: int, s: Samples) -> None:
    """Append one station's samples to the recent tier, one row per time bucket (in a txn)."""
    b = (s.t // bucket_s).astype(np.int64)
    for bucket in np.unique(b):
        m = b == bucket
        t = s.t[m]
        conn.execute(
            "INSERT INTO recent (station, bucket, t0, t1, n, series, t, v, q)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                station, int(bucket), float(t.min()), float(t.max()), int(m.sum()),
                s.series[m].astype(np.uint32).tobytes(), t.astype(np.float64).tobytes(),
                s.v[m].astype(np.float64).tobytes(), s.q[m].astype(np.uint8).tobytes(),
            ),
        )  # fmt: skip


def _recent_row(series: bytes, t: bytes, v: bytes, q: bytes) -> Samples:
    return Samples(
        np.frombuffer(series, np.uint32).astype(np.int64),
        np.frombuffer(t, np.float64),
        np.frombuffer(v, np.float64),
        np.frombuffer(q, np.uint8),
    )


def pack_chunk(bucket: int, bucket_s: int, t: np.ndarray, v: np.ndarray, q: np.ndarray):
    """(t1, n, base, t blob, v blob, q blob) of one series' samples in one bucket."""
    finite = v[np.isfinite(v)]
    base = float(finite[0]) if len(finite) else 0.0
    t_ms = np.rint((t - bucket * bucket_s) * 1000.0).astype(np.int32)
    return (
        float(t.max()), len(t), base, t_ms.tobytes(),
        (v - base).astype(np.float32).tobytes(), q.astype(np.uint8).tobytes(),
    )  # fmt: skip


def unpack_chunk(
    cid: int, bucket_s: int, base: float, t: bytes, v: bytes, q: bytes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    bucket = cid >> SERIES_BITS
    tt = np.frombuffer(t, np.int32) / 1000.0 + bucket * bucket_s
    vv = np.frombuffer(v, np.float32).astype(np.float64) + base
    return tt, vv, np.frombuffer(q, np.uint8)


def closed_buckets(conn: sqlite3.Connection, before_bucket: int) -> list[tuple[int, int]]:
    """(station, bucket) pairs in the recent tier whose bucket is before `before_bucket`."""
    return [
        (int(a), int(b))
        for a, b in conn.execute(
            "SELECT DISTINCT station, bucket FROM recent WHERE bucket < ? ORDER BY bucket, station",
            (before_bucket,),
        )
    ]


def compact(conn: sqlite3.Connection, station: int, bucket: int, bucket_s: int) -> int:
    """Move one station's recent rows of one bucket into per-series chunks (in a txn).

    Returns the number of chunk rows written. A chunk that already exists (samples that arrived
    after their bucket was compacted, e.g. the clock stepped back) is merged, not replaced.
    """
    rows = conn.execute(
        "SELECT id, series, t, v, q FROM recent WHERE station = ? AND bucket = ?",
        (station, bucket),
    ).fetchall()
    if not rows:
        return 0
    s = Samples.concat([_recent_row(*r[1:]) for r in rows])
    order = np.lexsort((s.t, s.series))
    ser, t, v, q = s.series[order], s.t[order], s.v[order], s.q[order]
    starts = np.flatnonzero(np.r_[True, ser[1:] != ser[:-1]])
    ends = np.r_[starts[1:], len(ser)]
    lo, hi = chunk_id(bucket, int(ser[0])), chunk_id(bucket, int(ser[-1]))
    existing = {
        int(r[0]): r[1:]
        for r in conn.execute(
            "SELECT id, base, t, v, q FROM chunks WHERE id BETWEEN ? AND ?", (lo, hi)
        )
    }
    # Pack every series at once (one numpy pass), then slice the byte strings per series.
    n = len(v)
    first = np.minimum.reduceat(np.where(np.isfinite(v), np.arange(n), n), starts)
    base = np.where(first < ends, v[np.minimum(first, n - 1)], 0.0)
    tb = np.rint((t - bucket * bucket_s) * 1000.0).astype(np.int32).tobytes()
    vb = (v - np.repeat(base, ends - starts)).astype(np.float32).tobytes()
    qb = q.astype(np.uint8).tobytes()
    t1 = np.maximum.reduceat(t, starts)
    out = []
    for i, (a, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        cid = chunk_id(bucket, int(ser[a]))
        if cid in existing:
            et, ev, eq = unpack_chunk(cid, bucket_s, *existing[cid])
            ct, cv, cq = np.r_[et, t[a:e]], np.r_[ev, v[a:e]], np.r_[eq, q[a:e]]
            o = np.argsort(ct, kind="stable")
            out.append((cid, *pack_chunk(bucket, bucket_s, ct[o], cv[o], cq[o])))
        else:
            row = (cid, float(t1[i]), e - a, float(base[i]), tb[4 * a : 4 * e], vb[4 * a : 4 * e])
            out.append((*row, qb[a:e]))
    conn.executemany("INSERT OR REPLACE INTO chunks (id, t1, n, base, t, v, q) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?)", out)  # fmt: skip
    conn.executemany("DELETE FROM recent WHERE id = ?", [(r[0],) for r in rows])
    return len(out)


def apply_retention(conn: sqlite3.Connection, cutoff: float, bucket_s: int) -> int:
    """Delete every chunk and recent row of buckets wholly before `cutoff` (in a txn)."""
    b = int(cutoff // bucket_s)
    n = conn.execute("DELETE FROM chunks WHERE id < ?", (chunk_id(b, 0),)).rowcount
    n += conn.execute("DELETE FROM recent WHERE bucket < ?", (b,)).rowcount
    return n


# ---- reads -------------------------------------------------------------------------------------


def read_series(
    conn: sqlite3.Connection,
    station: int,
    series: int,
    start: float,
    end: float,
    bucket_s: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every committed sample of one series with start <= t <= end, time-sorted (one snapshot)."""
    b0, b1 = int(start // bucket_s), int(end // bucket_s)
    ts, vs, qs = [], [], []
    conn.execute("BEGIN")  # one read snapshot: a compaction can't move rows between our reads
    try:
        # One primary-key look-up per bucket, limited to the buckets the file holds at all.
        # Two statements: SQLite answers min() or max() alone from the B-tree's ends, but a
        # query asking for both scans the whole table.
        lo = conn.execute("SELECT min(id) FROM chunks").fetchone()[0]
        hi = conn.execute("SELECT max(id) FROM chunks").fetchone()[0]
        cb0 = b0 if lo is None else max(b0, lo >> SERIES_BITS)
        cb1 = b1 if hi is None else min(b1, hi >> SERIES_BITS)
        ids = ",".join(str(chunk_id(b, series)) for b in range(cb0, cb1 + 1))
        for cid, base, t, v, q in conn.execute(
            f"SELECT id, base, t, v, q FROM chunks WHERE id IN ({ids}) ORDER BY id"
        ):
            tt, vv, qq = unpack_chunk(cid, bucket_s, base, t, v, q)
            ts.append(tt)
            vs.append(vv)
            qs.append(qq)
        for sb, t, v, q in conn.execute(
            "SELECT series, t, v, q FROM recent WHERE station = ? AND bucket BETWEEN ? AND ?"
            " AND t1 >= ? AND t0 <= ?",
            (station, b0, b1, start, end),
        ):
            m = np.frombuffer(sb, np.uint32) == series
            if m.any():
                ts.append(np.frombuffer(t, np.float64)[m])
                vs.append(np.frombuffer(v, np.float64)[m])
                qs.append(np.frombuffer(q, np.uint8)[m])
    finally:
        conn.execute("COMMIT")
    if not ts:
        return np.zeros(0), np.zeros(0), np.zeros(0, np.uint8)
    t, v, q = np.concatenate(ts), np.concatenate(vs), np.concatenate(qs)
    o = np.argsort(t, kind="stable")
    t, v, q = t[o], v[o], q[o]
    keep = (t >= start) & (t <= end)
    return t[keep], v[keep], q[keep]


def default_history_path(journal_path: str | os.PathLike[str]) -> Path:
    """Beside the journal: same folder, history.sqlite."""
    return Path(journal_path).with_name("history.sqlite")
