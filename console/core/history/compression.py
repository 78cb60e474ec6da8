"""Exception + deadband compression of station scans, vectorised over a whole scan.

A point's sample is stored only when
- its value moved more than the point's deadband from the *last stored* value,
- its quality changed (a trend must show when data was bad), or it became / stopped being NaN,
- a counter stepped backwards (meter exchange, roll-over), or
- `max_interval_s` passed since the point was last stored (a heartbeat: a query needs to look
  back at most that far for the value held at the start of its range).
Reading back by sample-and-hold then deviates from what was scanned by at most the deadband.

Deadbands, from the point's definition (see `deadband_for`), chosen against the register
resolution and what a trend is read for:
- temperatures (°C, K): 0.1 K — one register step of the 0.1 K resolution; room temperatures
  are judged against 18 °C, 0.1 K is what the operator reads;
- pressures (kPa, 1 kPa resolution): 2 kPa — transmitters jitter a step or two;
- flows (m³/h) and power (kW): 1 % of the last stored value, at least one register step;
- valve (%): 0.5 %-points; pump speeds (Hz): 0.2 Hz;
- counters (energy GJ, volumes m³) and the heartbeat register: stored sparsely — only on the
  heartbeat interval, when they step backwards, or when their quality changes (a frozen
  heartbeat shows up as STALE quality, which is always stored);
- states, bit fields, enums, setpoints, limits and identity registers: every change (0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from console.core.batch_buffers import BatchBuffers
from drivers.points import PointTable
from station_config.schema import PointDef

DEFAULT_MAX_INTERVAL_S = 15 * 60.0
# Register values are quantised (e.g. 0.1 K steps), so |21.3 - 21.2| is 0.1000000000000014:
# without a tolerance a deadband of exactly one step would store every step.
REL_TOL = 1e-6
ABS_TOL = 1e-9


@dataclass(frozen=True)
class Deadband:
    abs: float  # engineering units; inf = never on value movement alone
    rel: float = 0.0  # fraction of |last stored value| (flows, power)
    counter: bool = False  # monotone counter: also store when it steps backwards


EXACT = Deadband(0.0)
SPARSE = Deadband(math.inf)
COUNTER = Deadband(math.inf, counter=True)

_BY_UNIT: dict[str, Deadband] = {
    "°C": Deadband(0.1),
    "K": Deadband(0.1),
    "kPa": Deadband(2.0),
    "%": Deadband(0.5),
    "Hz": Deadband(0.2),
}
_RELATIVE_UNITS = {"m³/h", "kW"}
_COUNTER_UNITS = {"GJ", "m³"}


def deadband_for(p: PointDef) -> Deadband:
    """The deadband of a template point (see the module docstring for the reasons)."""
    if p.heartbeat:
        return SPARSE
    if p.enum or p.bits or p.access == "RW":
        return EXACT
    if p.unit in _COUNTER_UNITS:
        return COUNTER
    if p.unit in _RELATIVE_UNITS:
        return Deadband(p.scale if p.type != "f32" else 0.01, rel=0.01)
    return _BY_UNIT.get(p.unit, EXACT)


def deadband_arrays(table: PointTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(abs, rel, counter) arrays aligned with the table; one lookup per template point."""
    by_def: dict[int, Deadband] = {}
    dbs = [by_def.setdefault(id(d), deadband_for(d)) for d in table.defs]
    return (
        np.array([d.abs for d in dbs], dtype=np.float64),
        np.array([d.rel for d in dbs], dtype=np.float64),
        np.array([d.counter for d in dbs], dtype=bool),
    )


class Compressor:
    """Compression state of one station: the last stored value, quality and time per point."""

    def __init__(
        self,
        abs_db: np.ndarray,
        rel_db: np.ndarray | None = None,
        counter: np.ndarray | None = None,
        max_interval_s: float = DEFAULT_MAX_INTERVAL_S,
    ) -> None:
        n = len(abs_db)
        self.abs_db = np.asarray(abs_db, dtype=np.float64)
        self.rel_db = np.zeros(n) if rel_db is None else np.asarray(rel_db, dtype=np.float64)
        self.counter = np.zeros(n, bool) if counter is None else np.asarray(counter, dtype=bool)
        self.any_counter = bool(self.counter.any())
        self.max_interval_s = max_interval_s
        self.last_v = np.full(n, np.nan)
        self.last_q = np.full(n, 255, dtype=np.uint8)  # no quality yet: the first scan stores
        self.last_t = np.full(n, -np.inf)

    @classmethod
    def for_table(cls, table: PointTable, max_interval_s: float = DEFAULT_MAX_INTERVAL_S):
        a, r, c = deadband_arrays(table)
        return cls(a, r, c, max_interval_s)

    def __len__(self) -> int:
        return len(self.abs_db)

    def threshold(self) -> np.ndarray:
        """The current deadband per point (relative ones follow the last stored value)."""
        with np.errstate(invalid="ignore"):
            return np.fmax(self.abs_db, self.rel_db * np.abs(self.last_v))

    def select(self, t: float, values: np.ndarray, quality: np.ndarray) -> np.ndarray:
        """Indices of the points to store from this scan; the state advances to them."""
        last = self.last_v
        dv = values - last
        thr = self.threshold()
        with np.errstate(invalid="ignore"):
            store = np.abs(dv) > thr * (1.0 + REL_TOL) + ABS_TOL  # NaN compares False
            if self.any_counter:
                store |= self.counter & (dv < -ABS_TOL)
        store |= np.isnan(values) != np.isnan(last)
        store |= quality != self.last_q
        store |= (t - self.last_t) >= self.max_interval_s
        idx = np.flatnonzero(store)
        if len(idx):
            self.last_v[idx] = values[idx]
            self.last_q[idx] = quality[idx]
            self.last_t[idx] = t
        return idx

    def forget(self) -> None:
        """Make the next scan store every point (after samples were dropped)."""
        self.last_t[:] = -np.inf


class CityCompressor:
    """Every station's `Compressor`, their state in flat city-wide arrays, so that one service
    batch (~40 station scans) is compressed in one pass of numpy calls instead of one pass
    per scan. `compressors[sid]` are ordinary Compressors whose arrays are views into the flat
    ones: `select`/`forget` on one of them and `select_batch` see the same state."""

    def __init__(
        self, tables: dict[str, PointTable], max_interval_s: float = DEFAULT_MAX_INTERVAL_S
    ):
        parts = [deadband_arrays(t) for t in tables.values()]
        lens = [len(t) for t in tables.values()]
        n = sum(lens)
        self.max_interval_s = max_interval_s
        self.abs_db = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0)
        self.rel_db = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
        self.counter = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, bool)
        self.any_counter = bool(self.counter.any())
        self.last_v = np.full(n, np.nan)
        self.last_q = np.full(n, 255, dtype=np.uint8)
        self.last_t = np.full(n, -np.inf)
        self.compressors: dict[str, Compressor] = {}
        self.ranges: dict[str, np.ndarray] = {}
        start = 0
        for sid, k in zip(tables, lens, strict=True):
            sl = slice(start, start + k)
            c = Compressor(self.abs_db[sl], self.rel_db[sl], self.counter[sl], max_interval_s)
            c.last_v, c.last_q, c.last_t = self.last_v[sl], self.last_q[sl], self.last_t[sl]
            self.compressors[sid] = c
            self.ranges[sid] = np.arange(start, start + k)
            start += k
        self._work = BatchBuffers()

    def _gather(self, name: str, src: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """src[idx] in the reused buffer `name` (take's default mode copies to a temporary)."""
        return np.take(src, idx, out=self._work.take(name, len(idx), src.dtype), mode="clip")

    def owns(self, sid: str, comp: Compressor) -> bool:
        """`comp` is still this city's compressor of `sid` (not swapped for another)."""
        return self.compressors.get(sid) is comp

    def select_batch(
        self, sids: list[str], times: list[float], values: list[np.ndarray],
        quality: list[np.ndarray],
    ) -> list[np.ndarray]:  # fmt: skip
        """`Compressor.select` of scans of distinct stations at once: per scan, the indices of
        its points to store (the same as one select per scan, in any order)."""
        if not sids:
            return []
        # Every array of batch size in reused buffers (console.core.batch_buffers: churn of
        # such blocks fragmented the service thread's heap); the same arithmetic as select().
        w, lens = self._work, np.array([len(v) for v in values], dtype=np.int64)
        n = int(lens.sum())
        idx = np.concatenate([self.ranges[s] for s in sids], out=w.take("idx", n, np.int64))
        v = np.concatenate(values, out=w.take("v", n, np.float64), casting="unsafe")
        q = np.concatenate(quality, out=w.take("q", n, np.uint8), casting="unsafe")
        last = self._gather("last", self.last_v, idx)
        dv = np.subtract(v, last, out=w.take("dv", n, np.float64))
        flag = w.take("flag", n, np.bool_)
        with np.errstate(invalid="ignore"):
            thr = np.abs(last, out=w.take("thr", n, np.float64))
            thr *= self._gather("rel_db", self.rel_db, idx)
            np.fmax(self._gather("abs_db", self.abs_db, idx), thr, out=thr)
            thr *= 1.0 + REL_TOL
            thr += ABS_TOL
            store = np.greater(np.abs(dv, out=w.take("abs_dv", n, np.float64)), thr,
                               out=w.take("store", n, np.bool_))  # fmt: skip
            if self.any_counter:
                store |= np.logical_and(self._gather("counter", self.counter, idx),
                                        np.less(dv, -ABS_TOL, out=flag), out=flag)  # fmt: skip
        nan_last = np.isnan(last, out=w.take("nan_last", n, np.bool_))
        store |= np.not_equal(np.isnan(v, out=flag), nan_last, out=flag)
        store |= np.not_equal(q, self._gather("last_q", self.last_q, idx), out=flag)
        age = self._gather("last_t", self.last_t, idx)
        o = 0
        for ti, k in zip(times, lens.tolist(), strict=True):  # age = t - last_t, per scan
            np.subtract(ti, age[o : o + k], out=age[o : o + k])
            o += k
        store |= np.greater_equal(age, self.max_interval_s, out=flag)
        pos = np.flatnonzero(store)
        g = idx[pos]
        self.last_v[g] = v[pos]
        self.last_q[g] = q[pos]
        ends = np.cumsum(lens)
        self.last_t[g] = np.asarray(times, dtype=np.float64)[np.searchsorted(ends, pos, "right")]
        starts = ends - lens
        cuts = np.searchsorted(pos, np.append(starts, n))
        return [pos[cuts[k] : cuts[k + 1]] - starts[k] for k in range(len(sids))]
