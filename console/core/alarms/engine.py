"""The alarm engine: StationScans in, JournalEvents out, current state queryable.

    engine = AlarmEngine(net)
    events = engine.evaluate_batch(scans)      # or evaluate(scan)
    engine.acknowledge(["jx-001/room_temp[3]/room_low"], user="li", comment="steward sent")
    engine.summary()                           # rows for the GUI, room alarms per station

All times come from the scans (or the caller's `now`), never the wall clock, so runs replay
deterministically. The engine's clock (`now`) is the latest time it has seen.

Times stay wall-clock epochs (what the journal records); a `ProcessClock` faster than the wall
(the demo's simulator) shortens the on/off delays of process rules by its scale, so a room's
300 s on-delay runs 300 simulated seconds, as the physics does (rules.WALL_CLOCK_RULES).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np

from console.core.alarms.annunciation import Annunciator
from console.core.alarms.flood import FirstOut, FloodDetector
from console.core.alarms.rules import (
    F_LEAK,
    F_STALE,
    FP,
    K_ROOM_CRIT,
    K_ROOM_LOW,
    LIMIT_KINDS,
    N_FEATURES,
    N_KINDS,
    RULE_ID,
    RULE_TEXT,
    RULES,
    STATION_POINT,
    WALL_CLOCK_RULES,
    NetworkSlots,
    build_slots,
    features,
)
from console.core.alarms.state import (
    NORMAL,
    STATES,
    SUPPRESSED,
    UNACK,
    OutOfServiceInfo,
    ShelveInfo,
    SlotBank,
    StepResult,
)
from console.core.batch_buffers import BatchBuffers
from console.core.events import CONSOLE_ID, JournalEvent, Kind, Priority, new_event_ids
from console.core.leak.balance import LeakDetector, LeakInputs, station_volumes
from console.vocabulary.keys import AlarmKey
from drivers.samples import CommState, Quality, StationScan
from station_config.alarm_rules import AlarmConfig, ProcessClock
from station_config.schema import NetworkDef

log = logging.getLogger(__name__)

PRIORITIES = tuple(Priority)
ALL_VISIBLE = "all visible"
COMM_TEXT = {
    1: "communication ok",
    2: "communication failed",
    3: "data stale (heartbeat frozen)",
    4: "wrong device",
}


@dataclass
class _Plan:
    """Index arrays for one batch composition (which stations, in which order)."""

    stations: np.ndarray  # (B,) station indices
    lengths: np.ndarray  # (B,) points per station
    total: int  # points in the batch
    full: bool  # the batch is every station in network order: slot arrays apply whole
    slot_g: np.ndarray  # global slot of each batch slot
    bpos: np.ndarray  # batch position (scan) of each batch slot
    src_g: np.ndarray  # index into the batch's extended value vector
    lim_g: np.ndarray  # index into the flattened limit table
    sign: np.ndarray
    fidx: np.ndarray  # (B, len(FP)) indices into the padded value vector


class AlarmEngine:
    def __init__(
        self, net: NetworkDef, config: AlarmConfig | None = None, clock: ProcessClock | None = None
    ) -> None:
        self.net = net
        self.cfg = config or net.alarms
        self.clock = clock or self.cfg.process_clock
        self.slots: NetworkSlots = build_slots(net, self.cfg)
        s = self.slots
        # Configured delays are process seconds; the bank counts wall seconds (scan times).
        wall = np.isin(s.rule, [RULE_ID[r] for r in WALL_CLOCK_RULES])
        k = np.where(wall, 1.0, 1.0 / self.clock.scale)
        self.bank = SlotBank(s.on_delay * k, s.off_delay * k, s.realarm)
        self.now = -np.inf
        self.shelves: dict[int, ShelveInfo] = {}
        self.out_of_service: dict[int, OutOfServiceInfo] = {}
        self.flood = FloodDetector(self.cfg.flood, self.clock)
        self.first_out = FirstOut()
        self.annunciator = Annunciator(self.cfg.sound_priorities)
        n_st = len(net.stations)
        self.station_off = np.zeros(n_st, dtype=bool)
        self.in_season = True
        # 0 unknown, 1 ok, 2 failed, 3 stale, 4 wrong device (COMM_TEXT)
        self.comm_code = np.zeros(n_st, dtype=np.int8)
        self._districts = [st.district for st in net.stations]
        # Every per-batch array of slot or point size lives in these reused buffers (_plan,
        # _evaluate): a batch allocates nothing of that size, so nothing of it churns the heap.
        self._work = BatchBuffers()
        self._arange = np.arange(s.n, dtype=np.int64)
        self._all_ids = tuple(range(n_st))
        t3 = np.full((n_st, 2), -1, dtype=np.int64)
        for lay in s.layouts:
            t3[lay.index, : len(lay.t3_slots)] = lay.t3_slots
        self._t3_slots = t3
        self.is_room = np.zeros(s.n, dtype=bool)
        # Room slots by (station, room rule): the group a station-level room episode is about.
        self.room_group = np.full(s.n, -1, dtype=np.int64)
        bounds: list[tuple[int, int]] = []
        for lay in s.layouts:
            if lay.room_base:
                self.is_room[min(lay.room_base.values()) : lay.end] = True
            for base in lay.room_base.values():
                self.room_group[base : base + lay.rooms] = len(bounds)
                bounds.append((base, base + lay.rooms))
        self._group_bounds = np.array(bounds, dtype=np.int64).reshape(-1, 2)
        # The water balance behind leak_suspected: state per station, on process time.
        self.leak = LeakDetector(station_volumes(net.stations, self.cfg.leak), self.cfg.leak)
        self._leak_rule = RULE_ID["leak_suspected"]
        self.last_stats: dict[str, Any] = {}

    # ---------------------------------------------------------------- evaluation

    def evaluate(self, scan: StationScan) -> list[JournalEvent]:
        return self.evaluate_batch([scan])

    def evaluate_batch(self, scans: Sequence[StationScan]) -> list[JournalEvent]:
        """Evaluate one scan per station (a poller batch); return the journal events."""
        known = [sc for sc in scans if sc.station_id in self.slots.by_id]
        if len(known) < len(scans):
            log.warning("alarm engine: scans of unknown stations ignored")
        ids = [self.slots.by_id[sc.station_id] for sc in known]
        if len(set(ids)) < len(ids):  # the same station twice: evaluate in order
            return [e for sc in known for e in self.evaluate_batch([sc])]
        if not known:
            return []
        plan = self._plan(tuple(ids))
        return self._evaluate(plan, known)

    def _evaluate(self, plan: _Plan, scans: Sequence[StationScan]) -> list[JournalEvent]:
        s, bank = self.slots, self.bank
        for sc, n in zip(scans, plan.lengths.tolist(), strict=True):
            if len(sc.values) != n or len(sc.quality) != n:
                raise ValueError(
                    f"scan of {sc.station_id} has {len(sc.values)} values, its table {n} points"
                )
        times = np.array([sc.time for sc in scans], dtype=np.float64)
        now = float(times.max())
        self.now = max(self.now, now)
        # One padded vector of the whole batch; the pad (NaN, NO_DATA) stands for absent points.
        w, total = self._work, plan.total
        pad = total + 1
        v = w.take("v", pad, np.float64)
        q = w.take("q", pad, np.uint8)
        np.concatenate([sc.values for sc in scans], out=v[:total], casting="unsafe")
        np.concatenate([sc.quality for sc in scans], out=q[:total], casting="unsafe")
        v[total], q[total] = np.nan, Quality.NO_DATA
        comm_failed = np.array([sc.comm == CommState.FAILED for sc in scans])
        frozen = np.array([sc.heartbeat_frozen for sc in scans])
        wrong = np.array([sc.comm == CommState.WRONG_DEVICE for sc in scans])
        der, der_ok = features(v, q, plan.fidx, comm_failed, frozen, wrong)
        der[:, F_LEAK], der_ok[:, F_LEAK] = self._leak_balance(plan, v, q, times)
        # The extended vector: values, sensor-fault flags, derived features (_plan's sections).
        n_ext = 2 * pad + der.size
        ext = w.take("ext", n_ext, np.float64)
        ext_ok = w.take("ext_ok", n_ext, np.bool_)
        ext[:pad] = v
        sf = np.equal(q, Quality.SENSOR_FAULT, out=ext_ok[pad : 2 * pad])
        ext[pad : 2 * pad] = sf
        good = np.equal(q, Quality.GOOD, out=ext_ok[:pad])
        finite = np.isnan(v, out=w.take("finite", pad, np.bool_))
        good &= np.logical_not(finite, out=finite)
        sf |= good
        ext[2 * pad :] = der.ravel()
        ext_ok[2 * pad :] = der_ok.ravel()

        events: list[JournalEvent] = []
        events += self._comm_events(plan, scans, comm_failed, der[:, F_STALE] > 0, wrong)
        self._update_limits(plan, v, q)
        events += self._update_suppression(plan, v, q, now)

        # Full-size work: gather, compare, pick the few slots worth stepping (reused buffers;
        # mode="clip" because take's default mode copies into a temporary first).
        n = len(plan.slot_g)
        x = self._gather("x", ext, plan.src_g)
        valid = self._gather("valid", ext_ok, plan.src_g)
        lim_flat = s.lim_table.reshape(-1)  # a view: _update_limits writes the table in place
        lim = self._gather("lim", lim_flat, plan.lim_g)
        y = np.multiply(x, plan.sign, out=w.take("y", n, np.float64))
        raw_on = np.greater(y, lim, out=w.take("raw_on", n, np.bool_))
        raw_on &= valid
        busy = w.take("busy", n, np.bool_)
        if plan.full:
            np.logical_or(bank.cond, bank.pending, out=busy)
        else:
            np.take(bank.cond, plan.slot_g, out=busy, mode="clip")
            busy |= self._gather("pend", bank.pending, plan.slot_g)
        busy |= raw_on
        sel = np.flatnonzero(busy)
        g = plan.slot_g[sel]
        raw_off = y[sel] <= lim[sel] - s.deadband[g]
        res = bank.step(g, times[plan.bpos[sel]], raw_on[sel], raw_off, valid[sel], x[sel])
        t_vec = time.perf_counter()  # stats only: how much of a scan is building events
        events += self._transition_events(res)
        t_ev = time.perf_counter() - t_vec
        events += self._expire(now)
        self._release_bursts(plan.stations)
        events += self.flood.update(now)
        self.last_stats = {
            "stepped": len(sel),
            "rise": len(res.rise),
            "fall": len(res.fall),
            "event_build_s": t_ev,
        }
        return events

    def _leak_balance(
        self, plan: _Plan, v: np.ndarray, q: np.ndarray, times: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Feed the batch to the water balance; (leak rate m³/h or 0, valid) per scan."""

        def col(name: str) -> np.ndarray:
            i = plan.fidx[:, FP[name]]  # one point per station: nothing of batch size
            return np.where(q[i] == Quality.GOOD, v[i], np.nan)

        x = LeakInputs(
            makeup_volume=col("makeup_volume"),
            makeup_flow=col("makeup_flow"),
            p_return=col("p4_secondary_return"),
            t_supply=col("t3_secondary_supply"),
            t_return=col("t4_secondary_return"),
        )
        return self.leak.update(plan.stations, self.clock.process_time(times), x)

    def leak_since(self, station: int) -> float:
        """Wall-clock epoch at which station's suspected leak began (NaN: none held)."""
        pt = float(self.leak.since[station])
        c = self.clock
        return c.origin + (pt - c.origin) / c.scale if pt == pt else float("nan")

    def _leak_words(self, g: int, rate: float) -> tuple[str, dict[str, Any]]:
        """'≈ 0.52 m³/h since 14:05' and the journal details for a leak_suspected event."""
        si = int(self.slots.station[g])
        pt = float(self.leak.since[si])
        d: dict[str, Any] = {"leak_m3h": round(rate, 3), "lower_bound": bool(self.leak.drained[si])}
        if pt != pt or rate != rate or rate <= 0:
            return "", d
        d["leak_since"] = wall = self.leak_since(si)
        # On the wall clock, as the journal's and the window's times (the demo's process clock
        # runs 60x ahead: "since 06:04" beside a raise at 21:57).
        hhmm = time.strftime("%H:%M", time.localtime(wall))
        approx = "≥" if d["lower_bound"] else "≈"
        return f" {approx} {rate:.2g} m³/h since {hhmm}", d

    def tick(self, now: float) -> list[JournalEvent]:
        """Advance time without a scan: shelving expiry, flood end."""
        self.now = max(self.now, now)
        return self._expire(now) + self.flood.update(now)

    # ---------------------------------------------------------------- batch plans

    def _plan(self, ids: tuple[int, ...]) -> _Plan:
        """The batch's index arrays, in the engine's reused buffers (valid until the next batch).

        A city's batches are whichever stations answered in the last quarter second: hardly a
        composition repeats, so a cache of plans only kept ~150 KiB arrays alive for 32 batches
        each, interleaved with everything else the service thread allocates — the churn that
        fragmented its glibc arena over a shift (BENCHMARKS.md, "Memory over a shift")."""
        s, w = self.slots, self._work
        nb = len(ids)
        st = np.array(ids, dtype=np.int64)
        lays = [s.layouts[i] for i in ids]
        lengths = np.array([len(lay.table) for lay in lays], dtype=np.int64)
        voff = np.zeros(nb, dtype=np.int64)
        np.cumsum(lengths[:-1], out=voff[1:])
        total = int(lengths.sum())
        full = ids == self._all_ids
        n = s.n if full else sum(lay.end - lay.start for lay in lays)
        bpos = w.take("bpos", n, np.int64)
        slot_g = self._arange[:n] if full else w.take("slot_g", n, np.int64)
        o = 0
        for i, lay in enumerate(lays):
            c = lay.end - lay.start
            if not full:
                slot_g[o : o + c] = self._arange[lay.start : lay.end]
            bpos[o : o + c] = i
            o += c
        # Where each slot reads its input in the batch's extended vector: its section (value,
        # sensor-fault flag, derived feature) picks the station's offset, plus its local index.
        pad = total + 1  # each section of the extended vector carries the pad element
        offsets = np.concatenate([voff, pad + voff, 2 * pad + np.arange(nb) * N_FEATURES])
        sec = self._gather("sec", s.src_sec, slot_g)
        which = np.multiply(sec, nb, out=w.take("which", n, np.int64), dtype=np.int64)
        which += bpos
        offset = self._gather("offset", offsets, which)
        loc = self._gather("loc", s.src_loc, slot_g)
        src_g = np.add(loc, offset, out=w.take("src_g", n, np.int64), dtype=np.int64)
        fl = np.stack([lay.feature_idx for lay in lays])
        return _Plan(
            stations=st,
            lengths=lengths,
            total=total,
            full=full,
            slot_g=slot_g,
            bpos=bpos,
            src_g=src_g,
            lim_g=self._gather("lim_g", s.limidx, slot_g),
            sign=self._gather("sign", s.sign, slot_g),
            fidx=np.where(fl >= 0, voff[:, None] + fl, total),
        )

    def _gather(self, name: str, src: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """src[idx] in the reused buffer `name` (mode="clip": take's default mode would copy
        into a temporary first; the indices are the engine's own, always in range)."""
        out = self._work.take(name, len(idx), src.dtype)
        return np.take(src, idx, out=out, mode="clip")

    # ---------------------------------------------------------------- limits, suppression

    def _update_limits(self, plan: _Plan, v: np.ndarray, q: np.ndarray) -> None:
        tab = self.slots.lim_table
        for k, lk in enumerate(LIMIT_KINDS):
            if lk.register is None or not self.slots.kind_uses_register[k]:
                continue
            i = plan.fidx[:, FP[lk.register]]
            r, ok = v[i], (q[i] == Quality.GOOD) & np.isfinite(v[i])
            lim = lk.sign * lk.mult * r
            if lk.zero_off:
                lim = np.where(r == 0, np.inf, lim)  # 0 in the register switches the rule off
            tab[plan.stations[ok], k] = lim[ok]
        if self.slots.rule_cfg["t3_dev_high"].station_limit:
            i = plan.fidx[:, FP["t3_dev_delay"]]
            ok = (q[i] == Quality.GOOD) & np.isfinite(v[i])
            gs = self._t3_slots[plan.stations[ok]]
            delay = np.repeat(v[i][ok] * 60.0 / self.clock.scale, 2)  # minutes of process
            gs = gs.ravel()
            self.bank.on_delay[gs[gs >= 0]] = delay[gs >= 0]

    def _season(self, t: float) -> bool:
        hs = self.cfg.heating_season
        if hs is None:
            return True
        # The season of the process's date (the simulator's weather runs on that calendar too).
        pt = self.clock.process_time(t)
        d = datetime.fromtimestamp(pt, UTC) + timedelta(hours=hs.utc_offset_h)
        md = f"{d.month:02d}-{d.day:02d}"
        if hs.start <= hs.end:
            return hs.start <= md <= hs.end
        return md >= hs.start or md <= hs.end  # the season wraps the new year

    def _update_suppression(
        self, plan: _Plan, v: np.ndarray, q: np.ndarray, now: float
    ) -> list[JournalEvent]:
        i = plan.fidx[:, FP["mode"]]
        ok = q[i] == Quality.GOOD  # an unreadable mode holds the last known one
        off = np.isin(v[i], self.cfg.off_modes)
        was = self.station_off[plan.stations]
        new = np.where(ok, off, was)
        changed = set(plan.stations[new != was].tolist())
        self.station_off[plan.stations] = new
        season = self._season(now)
        if season != self.in_season:
            self.in_season = season
            changed = set(range(len(self.slots.layouts)))
        events: list[JournalEvent] = []
        for si in sorted(changed):
            events += self._apply_suppression(si, now)
        return events

    def _apply_suppression(self, si: int, t: float) -> list[JournalEvent]:
        s, lay = self.slots, self.slots.layouts[si]
        a, b = lay.start, lay.end
        want = (self.station_off[si] & s.supp_off[a:b]) | (
            (not self.in_season) & s.supp_season[a:b]
        )
        have = self.bank.suppressed[a:b]
        on, off = a + np.flatnonzero(want & ~have), a + np.flatnonzero(~want & have)
        events: list[JournalEvent] = []
        why = "station off" if self.station_off[si] else "out of heating season"
        for g, begin in ((on, True), (off, False)):
            if len(g) == 0:
                continue
            before = self.bank.visible(g)
            changed = self.bank.set_overlay("suppressed", g, begin, t)
            verb = f"suppressed by design ({why})" if begin else "suppression ended"
            events.append(
                JournalEvent(
                    Kind.ALARM,
                    f"{lay.station.id}: {len(g)} alarms {verb}",
                    time=t,
                    station=lay.station.id,
                    district=lay.station.district,
                    state=STATES[SUPPRESSED] if begin else None,
                    details={"suppressed": begin, "count": len(g)},
                )
            )
            # Per-alarm records only where the operator's picture changes (not NORMAL <-> hidden).
            after = self.bank.visible(changed)
            before_c = before[np.searchsorted(g, changed)]
            loud = (before_c != NORMAL) | ~np.isin(after, (NORMAL, SUPPRESSED))
            events += self._alarm_events(changed[loud], t, verb)
            self._count_new(changed[loud & (after == UNACK)], t)
        return events

    # ---------------------------------------------------------------- events

    def _comm_events(
        self,
        plan: _Plan,
        scans: Sequence[StationScan],
        failed: np.ndarray,
        stale: np.ndarray,
        wrong: np.ndarray,
    ) -> list[JournalEvent]:
        ok = np.array([sc.comm == CommState.OK for sc in scans])
        code = np.where(failed, 2, np.where(stale, 3, np.where(ok, 1, 0)))
        code = np.where(wrong, 4, code).astype(np.int8)
        old = self.comm_code[plan.stations]
        ch = np.flatnonzero((code != old) & (code != 0))
        self.comm_code[plan.stations] = np.where(code != 0, code, old)
        out = []
        for b in ch.tolist():
            st = self.slots.layouts[int(plan.stations[b])].station
            c = int(code[b])
            err = scans[b].error
            if c == 4:  # the error says it all: "wrong device: expected station 12, found 99"
                text = f"{st.id}: {err or COMM_TEXT[c]}"
            else:
                text = f"{st.id}: {COMM_TEXT[c]}" + (f" ({err})" if err else "")
            out.append(
                JournalEvent(
                    Kind.COMM,
                    text,
                    time=scans[b].time,
                    station=st.id,
                    district=st.district,
                    details={"comm": COMM_TEXT[c], "error": scans[b].error},
                )
            )
        return out

    def key(self, g: int) -> AlarmKey:
        s = self.slots
        lay = s.layouts[int(s.station[g])]
        p = int(s.point[g])
        point = STATION_POINT if p < 0 else lay.table.names[p]
        return AlarmKey.of(lay.station.id, point, RULES[s.rule[g]])

    def limit(self, g: np.ndarray) -> np.ndarray:
        """Current limits (engineering units) of slots `g`; NaN when the rule is off."""
        s = self.slots
        lim = s.lim_table.ravel()[s.limidx[g]] * s.sign[g]
        return np.where(np.isfinite(lim), lim, np.nan)

    def _alarm_events(
        self,
        g: np.ndarray,
        t: float | np.ndarray,
        verb: str,
        details: dict[str, Any] | None = None,
        first_out: Iterable[int] = (),
    ) -> list[JournalEvent]:
        if len(g) == 0:
            return []
        s = self.slots
        vis = self.bank.visible(g).tolist()
        cond = self.bank.cond[g].tolist()
        tt = np.broadcast_to(np.asarray(t, dtype=np.float64), g.shape).tolist()
        val = self.bank.value[g].tolist()
        lim = self.limit(g).tolist()
        prio = s.prio[g].tolist()
        station = s.station[g].tolist()
        point = s.point[g].tolist()
        rule = s.rule[g].tolist()
        ids = new_event_ids(tt)
        fo = set(first_out)
        lays = s.layouts
        extra = details or {}
        alarm, console = Kind.ALARM, CONSOLE_ID
        leak_rule = self._leak_rule

        def rows() -> Iterator[tuple[Any, ...]]:
            # Tuples in JournalEvent FIELDS order for JournalEvent.bulk: the generic
            # constructor was most of a 20,000-alarm scan (BENCHMARKS.md).
            for gi, vi, ci, ti, xv, li, pi, si, pt, ri, eid in zip(
                g.tolist(), vis, cond, tt, val, lim, prio, station, point, rule, ids, strict=True
            ):
                lay = lays[si]
                st = lay.station
                pname = STATION_POINT if pt < 0 else lay.table.names[pt]
                rname = RULES[ri]
                key = f"{st.id}/{pname}/{rname}"
                d = {"condition": ci, **extra}
                if gi in fo:
                    d["first_out"] = True
                nan_x, nan_l = xv != xv, li != li
                if ri == leak_rule:
                    words, more = self._leak_words(gi, xv)
                    d.update(more)
                    text = f"{key} {RULE_TEXT[rname]}{words} — {verb}"
                else:
                    xs = "" if nan_x else f" {xv:.4g}"
                    ls = "" if nan_l else f" (limit {li:.4g})"
                    text = f"{key} {RULE_TEXT[rname]}:{xs}{ls} — {verb}"
                yield (
                    alarm,
                    text,
                    ti,
                    eid,
                    st.id,
                    st.district,
                    pname,
                    key,
                    PRIORITIES[pi],
                    STATES[vi],
                    None if nan_x else xv,
                    None if nan_l else li,
                    None,  # user
                    None,  # action
                    None,  # comment
                    console,
                    d,
                )

        return JournalEvent.bulk(rows())

    def _count_new(self, g: np.ndarray, t: float | np.ndarray) -> None:
        """Count newly annunciated alarms for the flood detector; room alarms count once per
        station-level episode (a station's rooms going cold together is one event)."""
        if not len(g):
            return
        tt = np.broadcast_to(np.asarray(t, dtype=np.float64), g.shape)
        room = self.is_room[g]
        if room.any():
            t_new = self._new_room_episodes(g[room], tt[room])
            tt = np.concatenate([tt[~room], t_new])
        for ti, n in zip(*np.unique(tt, return_counts=True), strict=True):
            self.flood.add(float(ti), int(n))

    def _new_room_episodes(self, g: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Times of the room episodes that the newly annunciated room slots `g` begin: one per
        (station, room rule) group in which no other alarm is active or unacknowledged."""
        b = self.bank
        gid = self.room_group[g]
        order = np.lexsort((t, gid))
        gid_s = gid[order]
        first = np.r_[True, gid_s[1:] != gid_s[:-1]]
        groups, t_first = gid_s[first], t[order][first]
        # Every slot of those groups (contiguous ranges), without touching the whole bank.
        lo, hi = self._group_bounds[groups, 0], self._group_bounds[groups, 1]
        n = hi - lo
        starts = np.cumsum(n) - n
        idx = np.arange(int(n.sum())) - np.repeat(starts - lo, n)
        busy = (b.cond[idx] | ~b.acked[idx]) & ~b.hidden(idx)
        busy &= ~np.isin(idx, g)  # the newcomers themselves do not continue an episode
        return t_first[np.add.reduceat(busy.astype(np.int64), starts) == 0]

    def room_limits(self) -> tuple[np.ndarray, np.ndarray]:
        """Per station (network order): the room_low and room_critical limits (°C) rooms are
        compared with right now — the configured one, or the station's own limit register once
        read; NaN where the rule is off. The display takes its limits from here (one source)."""
        tab, rc = self.slots.lim_table, self.slots.rule_cfg
        out = []
        for k, rule in ((K_ROOM_LOW, "room_low"), (K_ROOM_CRIT, "room_critical")):
            lim = tab[:, k] * LIMIT_KINDS[k].sign
            out.append(np.where(np.isfinite(lim) & rc[rule].enabled, lim, np.nan))
        return out[0], out[1]

    def _transition_events(self, res: StepResult) -> list[JournalEvent]:
        bank, s = self.bank, self.slots
        events: list[JournalEvent] = []
        t_rise = bank.t_active[res.rise]
        marked = self.first_out.on_rises(
            s.station[res.rise], res.rise, res.rise_start, s.prio[res.rise]
        )
        events += self._alarm_events(res.rise, t_rise, "active", first_out=marked)
        shown = ~bank.hidden(res.rise)
        self._count_new(res.rise[shown], t_rise[shown])
        # One-shot shelving ends when the condition clears.
        oneshot = np.array(
            [g in self.shelves and self.shelves[g].until is None for g in res.fall.tolist()],
            dtype=bool,
        )
        t_fall = bank.t_change[res.fall]
        for g in res.fall[oneshot].tolist():
            del self.shelves[g]
            bank.set_overlay("shelved", np.array([g]), False, float(bank.t_change[g]))
        events += self._alarm_events(res.fall[~oneshot], t_fall[~oneshot], "cleared")
        events += self._alarm_events(
            res.fall[oneshot], t_fall[oneshot], "cleared, one-shot shelving ended"
        )
        t_re = bank.t_change[res.realarm]
        events += self._alarm_events(res.realarm, t_re, "re-alarm", {"realarm": True})
        self._count_new(res.realarm, t_re)
        return events

    def _release_bursts(self, stations: np.ndarray) -> None:
        """A station's first-out burst ends when no alarm there is active or unacknowledged."""
        bank = self.bank
        for si in [st for st in stations.tolist() if st in self.first_out.by_station]:
            lay = self.slots.layouts[si]
            a, b = lay.start, lay.end
            if not bank.cond[a:b].any() and bank.acked[a:b].all():
                self.first_out.release(si)

    def _expire(self, now: float) -> list[JournalEvent]:
        due = sorted(
            g for g, sh in self.shelves.items() if sh.until is not None and sh.until <= now
        )
        events: list[JournalEvent] = []
        for g in due:
            sh = self.shelves.pop(g)
            assert sh.until is not None
            ga = np.array([g])
            self.bank.set_overlay("shelved", ga, False, sh.until)
            events += self._alarm_events(ga, sh.until, "shelving expired", {"shelved_by": sh.user})
            self._count_new(ga[self.bank.visible(ga) == UNACK], sh.until)
        return events

    # ---------------------------------------------------------------- operator actions

    def slot(self, key: str) -> int:
        """Global slot of an alarm key `station/point/rule`; KeyError if there is none."""
        try:
            sid, point, rule = AlarmKey.parse(key).parts  # KeyTextError is a ValueError
            lay = self.slots.layouts[self.slots.by_id[sid]]
            rid = RULE_ID[rule]
        except (ValueError, KeyError):
            raise KeyError(key) from None
        if rule in lay.room_base and point.startswith("room_temp["):
            i = int(point[len("room_temp[") : -1])
            if 0 <= i < lay.rooms:
                return lay.room_base[rule] + i
            raise KeyError(key)
        pt = -1 if point == STATION_POINT else lay.table.index.get(point, -2)
        a, b = lay.start, lay.end
        hit = np.flatnonzero((self.slots.point[a:b] == pt) & (self.slots.rule[a:b] == rid))
        if len(hit) == 0:
            raise KeyError(key)
        return a + int(hit[0])

    def _t(self, now: float | None) -> float:
        if now is not None:
            self.now = max(self.now, now)
            return now
        return self.now if np.isfinite(self.now) else 0.0

    def _op_event(
        self, action: str, g: int | None, user: str, comment: str | None, t: float, **details: Any
    ) -> JournalEvent:
        s = self.slots
        kw: dict[str, Any] = {}
        if g is not None:
            key = self.key(g)
            kw = dict(
                station=key.station,
                district=self._districts[int(s.station[g])],
                point=key.point,
                alarm=key,
                priority=PRIORITIES[int(s.prio[g])],
                state=STATES[int(self.bank.visible(np.array([g]))[0])],
            )
        target = kw.get("alarm", "")
        return JournalEvent(
            Kind.OPERATOR,
            f"{user}: {action} {target}".rstrip() + (f" — {comment}" if comment else ""),
            time=t,
            user=user,
            action=action,
            comment=comment or None,
            details=details,
            **kw,
        )

    def acknowledge(
        self,
        keys: Iterable[str] | Literal["all visible"],
        user: str,
        comment: str = "",
        now: float | None = None,
        *,
        station: str | None = None,
        district: str | None = None,
    ) -> list[JournalEvent]:
        """Acknowledge alarms by key, or every visible unacknowledged one (optionally of one
        station or district). One OPERATOR event per acknowledged alarm: who acknowledged what
        is what the next shift reviews."""
        if not user.strip():
            raise ValueError("acknowledge needs a user")
        t = self._t(now)
        if isinstance(keys, str):
            if keys != ALL_VISIBLE:
                raise ValueError(f"keys must be alarm keys or {ALL_VISIBLE!r}")
            g = np.flatnonzero(~self.bank.acked)  # hidden alarms are held acknowledged
            if station is not None:
                g = g[self.slots.station[g] == self.slots.by_id[station]]
            if district is not None:
                ds = [i for i, d in enumerate(self._districts) if d == district]
                g = g[np.isin(self.slots.station[g], ds)]
        else:
            g = np.unique(np.array([self.slot(k) for k in keys], dtype=np.int64))
        done = self.bank.acknowledge(g, t)
        bulk = {"bulk": len(done)} if len(done) > 1 else {}
        events = [self._op_event("ack", gi, user, comment, t, **bulk) for gi in done.tolist()]
        self._release_bursts(np.unique(self.slots.station[done]))
        return events

    def shelve(
        self,
        key: str,
        user: str,
        reason: str,
        duration_s: float | None = None,
        *,
        one_shot: bool = False,
        now: float | None = None,
    ) -> list[JournalEvent]:
        """Shelve for `duration_s` (at most the configured maximum) or one-shot (until the
        condition clears). Refused without user and reason."""
        if (duration_s is None) == (not one_shot):
            raise ValueError("give either a duration or one_shot=True")
        if duration_s is not None and not 0 < duration_s <= self.cfg.shelve_max_s:
            raise ValueError(f"shelving duration must be within 0..{self.cfg.shelve_max_s:g} s")
        g = self.slot(key)
        t = self._t(now)
        info = ShelveInfo(user, reason, t, None if one_shot else t + float(duration_s or 0))
        self.shelves[g] = info
        ga = np.array([g])
        self.bank.set_overlay("shelved", ga, True, t)
        return [self._op_event("shelve", g, user, reason, t, until=info.until, one_shot=one_shot)]

    def unshelve(
        self, key: str, user: str, comment: str = "", now: float | None = None
    ) -> list[JournalEvent]:
        g = self.slot(key)
        t = self._t(now)
        if self.shelves.pop(g, None) is None:
            return []
        ga = np.array([g])
        self.bank.set_overlay("shelved", ga, False, t)
        self._count_new(ga[self.bank.visible(ga) == UNACK], t)
        return [self._op_event("unshelve", g, user, comment, t)]

    def set_out_of_service(
        self, key: str, user: str, reason: str, now: float | None = None
    ) -> list[JournalEvent]:
        g = self.slot(key)
        t = self._t(now)
        self.out_of_service[g] = OutOfServiceInfo(user, reason, t)
        self.bank.set_overlay("oos", np.array([g]), True, t)
        return [self._op_event("out_of_service", g, user, reason, t)]

    def return_to_service(
        self, key: str, user: str, comment: str = "", now: float | None = None
    ) -> list[JournalEvent]:
        g = self.slot(key)
        t = self._t(now)
        if self.out_of_service.pop(g, None) is None:
            return []
        ga = np.array([g])
        self.bank.set_overlay("oos", ga, False, t)
        self._count_new(ga[self.bank.visible(ga) == UNACK], t)
        return [self._op_event("return_to_service", g, user, comment, t)]

    def silence(self, user: str, comment: str = "", now: float | None = None) -> list[JournalEvent]:
        """Stop the sound; acknowledges nothing."""
        t = self._t(now)
        n = len(self.sounding())
        self.annunciator.silence(self.bank, user, t)
        return [self._op_event("silence", None, user, comment, t, silenced=n)]

    def restore(self, handled: Iterable[Any], now: float) -> int:
        """Start from the states the journal recorded (core.alarms.restore.HandledAlarm): a
        restart re-announces nothing the operators already handled. Returns how many alarms
        were restored; keys this configuration no longer has are skipped."""
        b, n = self.bank, 0
        for h in handled:
            try:
                g = self.slot(h.key)
            except KeyError:
                continue
            state = str(h.state)
            if state == "SHELVED":
                if h.shelved_until is not None and h.shelved_until <= now:
                    continue  # the shelf ran out while the server was down: evaluate afresh
                self.shelves[g] = ShelveInfo(
                    h.shelved_by, h.shelve_reason, h.shelved_at or now, h.shelved_until
                )
                b.shelved[g] = True
                b.cond[g] = h.active
                b.acked[g] = True
            else:
                b.cond[g] = state in ("UNACK", "ACK")
                b.acked[g] = state == "ACK"
            if b.cond[g]:
                b.t_active[g] = h.since
            b.t_change[g] = h.since
            n += 1
        return n

    # ---------------------------------------------------------------- queries

    def sounding(self) -> list[str]:
        """Keys of the alarms that want sound (new UNACK of the chosen priorities)."""
        return [self.key(g) for g in self.annunciator.sounding(self.bank, self.slots.prio)]

    def tone(self) -> Priority | None:
        return self.annunciator.tone(self.bank, self.slots.prio)

    def state(self, key: str) -> str:
        return STATES[int(self.bank.visible(np.array([self.slot(key)]))[0])]

    def shown_slots(self, include_hidden: bool = False) -> np.ndarray:
        """Slots a summary lists: active or unacknowledged; with `include_hidden` also shelved
        and out-of-service ones and suppressed ones whose condition is active."""
        b = self.bank
        m = b.cond | ~b.acked
        m = (m | b.shelved | b.oos) if include_hidden else (m & ~b.hidden(slice(None)))
        return np.flatnonzero(m)

    def active(self, include_hidden: bool = False) -> list[Any]:
        from console.core.alarms.summary import alarm_views

        return alarm_views(self, self.shown_slots(include_hidden))

    def summary(self, **filters: Any) -> Any:
        from console.core.alarms.summary import build_summary

        return build_summary(self, **filters)


__all__ = ["ALL_VISIBLE", "N_KINDS", "AlarmEngine"]
