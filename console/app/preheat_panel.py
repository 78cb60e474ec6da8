"""The pre-heating panel: make the cold-wave plan, show it, apply it as one confirmed batch of
writes, undo it.

Making a plan: the stations' recent history (outdoor, T3, rooms, heat power, and the curve
settings) comes through the doorway's `fetch_trend` a few stations per request (a local doorway
reads on the service loop, which must keep polling in between) and is read as the room
forecaster reads it (the doorway's `station_history`: on the plant's clock — the demo's
simulator runs faster than the wall — and, in the demo, its simulated past before the history
began); the outdoor forecast is the doorway's (on a single seat the network file's `forecast:`
source, the forecaster's own; on a thin console the one its servers published). The models are
fitted and the plan made on the panel's worker thread. A missing or stale forecast is said in
the interface language, never used.

Applying: every write of the plan (curve shift per station) is range-checked against the
network file, listed in one confirmation, then sent through the doorway's `write` — the same
path as every setpoint: refused before the wire in local control or without good data, FC06,
read back, journalled. Results arrive as the bridge's `action_done`; when all are in, the panel
says which did not happen. Undo writes back the values recorded before, for the writes that
were done, the same way. The plan's plant rows (a supply raise per plant outlet) are not
written by the console — no plant is on its write path — so both confirmations list them as
what to ask of the plants (raise, then back to the curve). The start hour is advice: Apply
writes now (see planner.py for why).
Applying is for engineers (`why_not("curve")`, `why_not("write")`, shown on hover).

Keeping the plan rolling (console/core/preheat/rolling.py, docs/preheat-rolling.md): once a plan
was applied it is in force and under watch. Every `watch_s` wall seconds the panel reads the
stations' coldest rooms over the last hour (the doorway's `fetch_trend`, as for a plan) and its
worker asks `RollingPlan.due`. When a revision is due (a station's coldest room below the plan,
or every 3 h) the panel makes a new plan the usual way and PROPOSES it: one line says why, in
words a heating engineer uses, and "Apply revision…" opens the same confirmation listing only
the curve shifts that change (`RollingPlan.adopt`'s `Changes`), sent the same way. When no
revision is due but rows of the plan in force are past their "undo from" hour, their shifts
back to the base and their plants back to the curve (`RollingPlan.expire`) are proposed the
same way: no shift is held up to 3 h longer than the plan needs it. Nothing is written without
that confirmation. Undo puts back what the plan and its revisions wrote.
"""

from __future__ import annotations

import concurrent.futures
import copy
import logging
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.app.action_words import name as action_name
from console.app.doorway import Doorway
from console.app.preheat_words import (
    ASKED,
    DEPARTURE,
    EVERY,
    EXPIRED,
    FIRST,
    due_words,
    expired_words,
    forecast_words,
    made_words,
    plan_words,
)
from console.core.energy.curve import CURVE_POINTS
from console.core.forecast.model import HOUR, curve_from_points
from console.core.forecast.source import ForecastSource
from console.core.forecast.wiring import StationHistory
from console.core.preheat.batch import (
    BatchOutcome,
    PlannedWrite,
    apply_batch,
    check_batch,
    undo_batch,
)
from console.core.preheat.inputs import HISTORY_POINTS, heat_series, station_input
from console.core.preheat.network import capacities_mw, places
from console.core.preheat.planner import Plan, make_plan
from console.core.preheat.rolling import EVERY_H, Changes, Departure, RollingPlan, departures
from console.vocabulary.preheat import Status
from drivers.writes import WriteResult
from widgets.locale_format import date_clock, number
from widgets.preheat_plan import BatchDialog, PreheatPlanView

log = logging.getLogger(__name__)

HISTORY_DAYS = 7  # enough for a fit (≥ 72 h) without a season's read
STATIONS_PER_REQUEST = 4
SETTING_POINTS = ("curve_shift", "t3_max", *(name for name, _ in CURVE_POINTS))
NO_DATA = (np.zeros(0), np.zeros(0), np.zeros(0))
WATCH_S = 300.0  # wall seconds between two looks at the coldest rooms (hourly means move slowly)
COLDEST_POINT = "room_temp_min"


@dataclass
class Revision:
    """A revision of the plan in force, proposed to the engineer (never written unasked)."""

    why: str  # DEPARTURE, EVERY, ASKED, or EXPIRED (the plan in force past its rows' hours)
    said: str  # why, in the interface language
    plan: Plan | None = None
    roll: RollingPlan | None = None  # the rolling plan as it will be once applied
    changes: Changes | None = None
    refused: list[tuple[PlannedWrite, str]] | None = None


def hour_means(data: dict, point: str = COLDEST_POINT) -> dict[str, float]:
    """Each station's mean of the good samples `data` (fetch_trend's) holds for `point`."""
    out = {}
    for key, (_, v, q) in data.items():
        sid, _, p = key.partition("/")
        good = np.asarray(q) == 0
        if p == point and good.any():
            out[sid] = float(np.mean(np.asarray(v, dtype=np.float64)[good]))
    return out


class PreheatPanel(QWidget):
    plan_ready = Signal(object, str)  # Plan | None, message — from the worker thread
    watched = Signal(object, object, float)  # why due | None, [Departure], now — from the worker

    def __init__(
        self,
        doorway: Doorway,
        parent: QWidget | None = None,
        *,
        forecast: ForecastSource | None = None,
        history: StationHistory | None = None,
        watch_s: float = WATCH_S,
    ) -> None:
        """`forecast`, `history`: by default the doorway's (an empty source says "none");
        `watch_s`: wall seconds between two looks at the plan in force."""
        super().__init__(parent)
        self.doorway = doorway
        self.forecast = forecast or doorway.forecast_source() or ForecastSource()
        # None: the doorway's, asked at each plan (the service's forecaster starts after us).
        self.history = history
        self._reading: StationHistory = history or StationHistory()  # the plan under way's
        self._now = 0.0  # its process time
        self.plan: Plan | None = None
        self.applied: list[PlannedWrite] = []  # done writes of the last apply (what undo undoes)
        self.applied_plants: list[str] = []  # the applied plan's plant rows, as undo says them
        self.batch: BatchOutcome | None = None
        self._batch_kind = ""
        self.dialog: BatchDialog | None = None
        self._fetch: tuple[float, float] | None = None
        self._queue: list[list[str]] = []
        self._got: dict = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="preheat")
        self.roll: RollingPlan | None = None  # the plan in force, once one was applied
        self.revision: Revision | None = None  # being made, or proposed
        self._watch: tuple[float, float] | None = None  # the coldest rooms' read under way
        self._watch_now = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(int(watch_s * 1000))
        self.timer.timeout.connect(self.watch)

        self.view = PreheatPlanView()
        names = {s.id: s.name for s in doorway.net.stations}
        names |= {d.id: d.name for d in doorway.net.districts}
        names |= {s.id: s.name for s in doorway.net.sources}
        names |= {t.id: t.name for t in doorway.net.trunks}
        self.names = names  # ids → the names the network file gives them
        self.view.set_plan(None, names)
        self.make_button = QPushButton()
        self.apply_button = QPushButton()
        self.undo_button = QPushButton()
        self.make_button.clicked.connect(self._make_clicked)
        self.apply_button.clicked.connect(self.confirm_apply)
        self.undo_button.clicked.connect(self.confirm_undo)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "reason")
        row = QHBoxLayout()
        for b in (self.make_button, self.apply_button, self.undo_button):
            row.addWidget(b)
        row.addWidget(self.status, 1)
        # The watch's line: a revision due and what it changes, and its button.
        self.revision_line = QLabel()
        self.revision_line.setWordWrap(True)
        self.revise_button = QPushButton()
        self.revise_button.clicked.connect(self.confirm_revision)
        rev = QHBoxLayout()
        rev.addWidget(self.revision_line, 1)
        rev.addWidget(self.revise_button)
        self.revision_line.hide()
        self.revise_button.hide()
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addLayout(rev)
        lay.addWidget(self.view, 1)

        doorway.trend_fetched.connect(self._on_trend)
        doorway.bridge.action_done.connect(self._on_action_done)
        self.plan_ready.connect(self._on_plan)
        self.watched.connect(self._on_watched)
        self.retranslate()

    def close_pool(self) -> None:
        self.timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- making the plan -----------------------------------------------------------------------
    def _make_clicked(self) -> None:
        """With a plan in force, a plan made on request is a revision of it, proposed."""
        roll = self.roll
        if roll is None or self.revision is not None or self._fetch is not None:
            self.make()
            return
        self.revision = Revision(ASKED, due_words(ASKED, [], {}, 0.0, roll.every_h))
        self._say_revision(self.tr("making the revised plan…"))
        if not self.make():
            self.revision = None  # the plan could not be started (said in the status)

    def _history(self) -> StationHistory:
        """The given history reading, else the doorway's as it is now (its forecaster may have
        started since: asked each time)."""
        return self.history or self.doorway.station_history()

    def make(self) -> bool:
        """Start making a plan: read the history, then fit and plan on the worker. False when
        it cannot start (said) or one is already being read."""
        why = self.doorway.why_not_words("trend_query")
        if why is not None:
            self.status.setText(self.tr("A plan needs the history: {reason}").format(reason=why))
            return False
        if self._fetch is not None:
            return False  # one under way
        h = self._reading = self._history()
        now = self._now = h.now()
        ids = [s.id for s in self.doorway.net.stations]
        self._queue = [
            ids[k : k + STATIONS_PER_REQUEST] for k in range(0, len(ids), STATIONS_PER_REQUEST)
        ]
        self._fetch = (h.wall(now - HISTORY_DAYS * 86400.0 - h.hold_s), h.wall(now))
        self._got = {}
        self.status.setText(self.tr("Reading the stations' history…"))
        self._next()
        return True

    def _next(self) -> None:
        assert self._fetch is not None
        batch = self._queue.pop(0)
        pts = (*HISTORY_POINTS, *SETTING_POINTS)
        self.doorway.fetch_trend([f"{sid}/{p}" for sid in batch for p in pts], *self._fetch)

    @Slot(object, float, float)
    def _on_trend(self, data: dict, start: float, end: float) -> None:
        if self._watch is not None and self._watch == (start, end):
            self._on_watch_read(data)
            return
        if self._fetch != (start, end):
            return  # another view's read
        self._got.update(data)
        if self._queue:
            self._next()
            return
        got, now = self._got, self._now
        self._fetch = None
        past = self._reading.past
        if past is not None and not past.ready:  # the demo's first minute: it takes that long
            self.status.setText(self.tr("Waiting for the simulated past the models fit on…"))
        else:
            self.status.setText(self.tr("Fitting the stations' models…"))
        self._pool.submit(self._work, got, now)

    def _work(self, got: dict, now: float) -> None:
        try:
            plan, msg = self._build(got, now)
        except Exception as e:  # a plan must never take the console down: logged, said
            log.exception("pre-heating plan failed")
            plan, msg = None, f"{type(e).__name__}: {e}"
        self.plan_ready.emit(plan, msg)

    def _build(self, got: dict, now: float) -> tuple[Plan | None, str]:
        """`got`: what fetch_trend brought (wall times); `now`: process time."""
        fs = self.forecast.load(now)
        said = forecast_words(fs, self.forecast, now)
        if not fs.usable or fs.forecast is None:
            return None, said  # missing, stale or invalid: said, never used
        fc = fs.forecast
        net = self.doorway.net
        pl = places(net)
        end = np.floor(now / HOUR) * HOUR
        reading = self._reading

        def fetched(sid: str, p: str, start: float, stop: float) -> tuple:
            t, v, q = got.get(f"{sid}/{p}", NO_DATA)
            t = np.asarray(t, dtype=np.float64)
            keep = (t >= start) & (t <= stop)
            return t[keep], np.asarray(v)[keep], np.asarray(q)[keep]

        def last(sid: str, p: str) -> float:
            _, v, q = got.get(f"{sid}/{p}", NO_DATA)
            good = np.flatnonzero(np.asarray(q) == 0)
            return float(np.asarray(v)[good[-1]]) if len(good) else float("nan")

        inputs = []
        for s in net.stations:
            # As the room forecaster reads it: process time, the demo's past before the history.
            series = reading.series(fetched, s.id, now, HISTORY_DAYS)
            curve = curve_from_points(lambda p, sid=s.id: last(sid, p))
            shift = last(s.id, "curve_shift")
            t3_max = last(s.id, "t3_max")
            inputs.append(
                station_input(
                    pl[s.id],
                    series,
                    heat_series(reading.process_query(fetched), s.id, series),
                    fc.times,
                    fc.outdoor_c,
                    current_shift=shift,
                    t3_max=t3_max if np.isfinite(t3_max) else np.inf,
                    curve=curve,
                )
            )
        roll = self.roll  # a revision keeps the plant raises running (their start)
        in_force = dict(roll.raised) if roll is not None else None
        plan = make_plan(inputs, capacities_mw(net), end, fc.issued_at, in_force=in_force)
        return plan, f"{plan_words(plan)} · {said}"

    @Slot(object, str)
    def _on_plan(self, plan: Plan | None, message: str) -> None:
        if self.revision is not None and self.roll is not None:
            if self.revision.changes is None:  # else one is proposed: it stands until decided
                self._propose(plan, message)
            return
        if plan is None:
            self.status.setText(self.tr("No plan: {reason}").format(reason=message))
            return
        self.set_plan(plan)
        self.status.setText(message)

    def set_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.view.set_plan(plan)
        self._update_buttons()

    # --- applying and undoing ------------------------------------------------------------------
    def _why_not_batch(self, doing: str) -> str | None:
        """The role (engineer and up: `curve` and `write`) and no batch still under way."""
        for verb in ("curve", "write"):
            reason = self.doorway.why_not_words(verb)
            if reason is not None:
                return f"{doing}: {reason}"
        if self.batch is not None and not self.batch.complete:
            return self.tr("Writes of the last batch are still under way.")
        return None

    def why_not_apply(self) -> str | None:
        why = self._why_not_batch(self.tr("Applying the plan"))
        if why is not None:
            return why
        if self.roll is not None:
            return self.tr("A plan is in force: its revisions are applied with Apply revision….")
        if self.plan is None:
            return self.tr("Make a plan first.")
        if not self.plan.writes:
            return self.tr("The plan changes nothing.")
        h = self._history()
        age_h = (h.now() - self.plan.made_at) / HOUR
        if age_h >= EVERY_H:  # as old as a rolling plan's revision: the state has moved on
            return self.tr(
                "The plan was made {age} h ago (on the plant's clock): make a new one first."
            ).format(age=number(age_h, 1))
        return None

    def why_not_undo(self) -> str | None:
        why = self._why_not_batch(self.tr("Undoing the plan"))
        if why is not None:
            return why
        if not self.applied:
            return self.tr("Nothing applied to undo.")
        return None

    def why_not_revise(self) -> str | None:
        why = self._why_not_batch(self.tr("Applying the revision"))
        if why is not None:
            return why
        r = self.revision
        if r is None or r.changes is None:
            return self.tr("No revision of the plan is proposed.")
        return None

    def _update_buttons(self) -> None:
        for b, why in ((self.apply_button, self.why_not_apply()),
                       (self.undo_button, self.why_not_undo()),
                       (self.revise_button, self.why_not_revise())):  # fmt: skip
            b.setEnabled(why is None)
            b.setToolTip(why or "")

    def _line(self, w: PlannedWrite) -> str:
        name = next((s.name for s in self.doorway.net.stations if s.id == w.station), w.station)
        return self.tr("{station} ({id}): curve shift {old} → {new} K").format(
            station=name, id=w.station, old=f"{w.old:+.1f}", new=f"{w.new:+.1f}"
        )

    def confirm_apply(self) -> None:
        why = self.why_not_apply()
        if why is not None or self.plan is None:
            self.status.setText(why or "")
            return
        writes, refused = apply_batch(self.plan, self.doorway.net)
        self._confirm(
            "apply",
            writes,
            self.tr("Apply the pre-heating plan"),
            self.tr("These {n} writes will be sent now, each read back and journalled:").format(
                n=len(writes)
            ),
            [self.tr("Not sent: {why}").format(why=why) for _, why in refused],
            self.view.plant_lines(),
        )

    def confirm_undo(self) -> None:
        why = self.why_not_undo()
        if why is not None:
            self.status.setText(why)
            return
        writes = undo_batch(self.applied)
        self._confirm(
            "undo",
            writes,
            self.tr("Undo the pre-heating plan"),
            self.tr("These {n} writes put back the values before the plan:").format(n=len(writes)),
            [],
            self.applied_plants,
        )

    def _confirm(
        self, kind: str, writes: list[PlannedWrite], title: str, intro: str, refused: list[str],
        plants: list[str],
    ) -> None:  # fmt: skip
        dlg = BatchDialog(title, intro, [self._line(w) for w in writes], refused, self, plants)
        dlg.confirmed.connect(lambda: self._send(kind, writes))
        dlg.finished.connect(lambda _: setattr(self, "dialog", None))
        self.dialog = dlg
        dlg.open()  # window-modal, never a nested event loop

    def _send(self, kind: str, writes: list[PlannedWrite]) -> None:
        self.batch = BatchOutcome(writes)
        self._batch_kind = kind
        if kind == "apply":  # what undo will ask of the plants
            self.applied_plants = self.view.plant_lines(undo=True)
        elif kind == "revise" and self.revision is not None and self.revision.roll is not None:
            rows = list(self.revision.roll.raised.values())
            self.applied_plants = self.view.plant_lines(True, rows, self.revision.plan)
        self.status.setText(self.tr("Sending {n} writes…").format(n=len(writes)))
        self._update_buttons()
        for w in writes:
            self.doorway.write(w.station, w.point, w.new)

    @Slot(str, object, object)
    def _on_action_done(self, what: str, result: object, exc: object) -> None:
        b = self.batch
        if b is None or b.complete:
            return
        if isinstance(result, WriteResult):
            if not b.record(result):
                return
        elif exc is not None:
            w = next((w for w in b.writes if what == _what(w)), None)
            if w is None:
                return
            b.record_failure(w, str(exc))
        else:
            return
        if b.complete:
            self._batch_done(b)

    def _batch_done(self, b: BatchOutcome) -> None:
        done = b.done
        if self._batch_kind == "apply":
            self.applied = done
            if done:
                self._start_rolling(b)
        elif self._batch_kind == "revise":
            self._adopt_revision(b)
        else:
            undone = {(w.station, w.point) for w in done}
            self.applied = [w for w in self.applied if (w.station, w.point) not in undone]
            if not self.applied:
                self.applied_plants = []
                self._stop_rolling()
        missed = b.not_done()
        text = self.tr("{done} of {n} writes done.").format(done=len(done), n=len(b.writes))
        if missed:
            text += " " + self.tr("Not done: {list}").format(
                list="; ".join(f"{w.station}.{w.point} → {w.new:+.1f}: {why}" for w, why in missed)
            )
        self.status.setText(text)
        self._update_buttons()

    # --- keeping the plan rolling --------------------------------------------------------------
    def _start_rolling(self, b: BatchOutcome) -> None:
        """The applied plan is in force: each station's shift before it is the base, what was
        written is what is applied (a write not done left the station at its base)."""
        plan = self.plan
        if plan is None:
            return
        roll = RollingPlan(base={r.station: r.current_shift for r in plan.rows})
        roll.adopt(plan, FIRST)
        done = {w.station: w.new for w in b.done}
        for sid, base in roll.base.items():  # refused or not done: still at its base
            roll.applied[sid] = done.get(sid, base)
        self.roll = roll
        self._show_in_force()
        self.timer.start()

    def _stop_rolling(self) -> None:
        self.timer.stop()
        self.roll = None
        self.revision = None
        self.revision_line.hide()
        self.revise_button.hide()
        self.view.set_in_force(None)

    def _show_in_force(self) -> None:
        roll = self.roll
        if roll is None or not roll.history:
            self.view.set_in_force(None)
            return
        made, why = roll.history[-1]
        self.view.set_in_force(made, made_words(why, roll.every_h))

    def watch(self) -> None:
        """Read the stations' coldest rooms over the last hour; the worker says if a revision
        is due. Nothing while a plan, a read or a batch is under way, or a revision waits."""
        if self.roll is None or self.revision is not None:
            return
        if self._fetch is not None or self._watch is not None:
            return
        if self.batch is not None and not self.batch.complete:
            return
        if self.doorway.why_not_words("trend_query") is not None:
            return  # no history to read now: the next look
        h = self._history()
        now = self._watch_now = h.now()
        self._watch = (h.wall(now - HOUR), h.wall(now))
        ids = [s.id for s in self.doorway.net.stations]
        self.doorway.fetch_trend([f"{sid}/{COLDEST_POINT}" for sid in ids], *self._watch)

    def _on_watch_read(self, data: dict) -> None:
        self._watch = None
        roll = self.roll
        if roll is not None:
            self._pool.submit(self._check, copy.deepcopy(roll), data, self._watch_now)

    def _check(self, roll: RollingPlan, data: dict, now: float) -> None:
        try:
            coldest = hour_means(data)
            why = roll.due(now, coldest)
            gone = [] if roll.plan is None else departures(
                roll.plan, now - 0.5 * HOUR, coldest, roll.tol_k
            )  # fmt: skip
            kind = None if why is None else DEPARTURE if gone else EVERY
        except Exception:  # the watch must never take the console down: logged, next look
            log.exception("pre-heating plan watch failed")
            kind, gone = None, []
        self.watched.emit(kind, gone, now)

    @Slot(object, object, float)
    def _on_watched(self, kind: str | None, gone: list[Departure], now: float) -> None:
        roll = self.roll
        if roll is None or self.revision is not None:
            return
        if kind is None:
            if self._propose_expiry(now):
                return
            self.revision_line.setText(
                self.tr("Plan in force checked {time}: every station as the plan predicted.")
                .format(time=date_clock(now))
            )  # fmt: skip
            self.revision_line.show()
            return
        names = {s.id: s.name for s in self.doorway.net.stations}
        age_h = (now - roll.plan.made_at) / HOUR if roll.plan is not None else 0.0
        self.revision = Revision(kind, due_words(kind, gone, names, age_h, roll.every_h))
        self._say_revision(self.tr("making the revised plan…"))
        if not self.make():  # the history cannot be read now (said): the next look
            self.revision = None

    def _propose(self, plan: Plan | None, message: str) -> None:
        """The revised plan is made (or not): what it changes, proposed, never written."""
        r, roll = self.revision, self.roll
        assert r is not None and roll is not None
        if plan is None:
            self._say_revision(self.tr("no revised plan: {reason}").format(reason=message))
            self.revision = None  # the next look tries again
            return
        r.plan, r.roll = plan, copy.deepcopy(roll)
        r.changes = r.roll.adopt(plan, r.why)
        # A station the revised plan has no model for (its history not read this time) keeps
        # what is applied: no model is no reason to take its pre-heating away.
        blind = {row.station for row in plan.rows if row.status is Status.NO_MODEL}
        for w in r.changes.writes:
            if w.station in blind:
                r.roll.applied[w.station] = w.old
        r.changes.writes = [w for w in r.changes.writes if w.station not in blind]
        if self._offer(r):
            self.status.setText(message)

    def _propose_expiry(self, now: float) -> bool:
        """The plan in force past some of its rows' `until` (RollingPlan.expire): their shifts
        back to the base and their plants back to the curve, proposed as a revision — so no
        shift is held up to `every_h` longer than the plan needs it. False: nothing expired."""
        roll = copy.deepcopy(self.roll)
        if roll is None:
            return False
        changes = roll.expire(now)
        if not changes.writes and not changes.auto:
            return False
        stations = [w.station for w in changes.writes]
        said = expired_words(stations, changes.auto, self.names)
        self.revision = Revision(EXPIRED, said, roll.plan, roll, changes)
        self._offer(self.revision)
        return True

    def _offer(self, r: Revision) -> bool:
        """Range-check the revision's writes and propose them (True); with none to send, the
        revision is in force at once (a refused write leaves its station) and said (False)."""
        assert r.changes is not None
        writes, r.refused = check_batch(r.changes.writes, self.doorway.net)
        r.changes.writes = writes
        if writes:
            self._say_revision(
                self.tr("the revised plan changes {n} curve shifts: Apply revision…").format(
                    n=len(writes)
                )
            )
            return True
        said = r.said
        self._adopt_revision(None)
        self.revision_line.setText(
            f"{said} — "
            + self.tr("the revised plan changes no curve shift that can be sent; it is in force.")
        )
        if r.refused:
            not_sent = self.tr("Not sent: {why}")
            self.status.setText("; ".join(not_sent.format(why=why) for _, why in r.refused))
        return False

    def _say_revision(self, what: str) -> None:
        r = self.revision
        self.revision_line.setText(f"{r.said} — {what}" if r is not None else what)
        self.revision_line.show()
        self.revise_button.setVisible(r is not None and r.changes is not None)
        self._update_buttons()

    def confirm_revision(self) -> None:
        why = self.why_not_revise()
        r = self.revision
        if why is not None or r is None or r.changes is None:
            self.status.setText(why or "")
            return
        c = r.changes
        old = {sr.trunk: sr for sr in (self.roll.raised.values() if self.roll else ())}
        plants = self.view.plant_lines(False, c.raise_rows, r.plan)
        plants += self.view.plant_lines(True, [old[t] for t in c.auto if t in old], r.plan)
        self._confirm(
            "revise",
            c.writes,
            self.tr("Apply the revised pre-heating plan"),
            self.tr(
                "{why}. These {n} writes change what the plan in force wrote; they will be "
                "sent now, each read back and journalled:"
            ).format(why=r.said, n=len(c.writes)),
            [self.tr("Not sent: {why}").format(why=why) for _, why in r.refused or []],
            plants,
        )

    def _adopt_revision(self, b: BatchOutcome | None) -> None:
        """The revision is in force: what was written joins what undo puts back (with the value
        before the first plan); a write not done leaves its station as it was."""
        r = self.revision
        if r is None or r.roll is None or r.plan is None:
            return
        roll = r.roll
        for w, _ in ([] if b is None else b.not_done()) + list(r.refused or []):
            roll.applied[w.station] = w.old
        before = {(w.station, w.point): w.old for w in self.applied}
        merged = {(w.station, w.point): w for w in self.applied}
        for w in [] if b is None else b.done:
            first = before.get((w.station, w.point), w.old)
            merged[(w.station, w.point)] = PlannedWrite(w.station, w.point, first, w.new)
        self.applied = [w for w in merged.values() if abs(w.new - w.old) > 1e-6]
        self.roll, self.revision = roll, None
        self.plan = r.plan
        self.view.set_plan(r.plan)
        self._show_in_force()
        self.revise_button.hide()
        if b is not None:
            self.revision_line.hide()
        self._update_buttons()

    # --- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.make_button.setText(self.tr("Make plan"))
        self.apply_button.setText(self.tr("Apply plan…"))
        self.undo_button.setText(self.tr("Undo plan…"))
        self.revise_button.setText(self.tr("Apply revision…"))
        self._show_in_force()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _what(w: PlannedWrite) -> str:
    """The doorway's name of a write (LocalDoorway/RemoteDoorway.write)."""
    return action_name("write", station=w.station, point=w.point, value=w.new)
