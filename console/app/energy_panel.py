"""The energy panel: heat metering of the whole network beside the open station's heating curve.

Everything comes through the doorway, local or remote alike: the metering figures from
`fetch_trend` (each station's energy counter and outdoor temperature since the start of the
heating season: the ring where it reaches, the history before it), computed off the GUI thread;
the curve from the snapshot's station detail; a curve edit as a confirmed `write` (the same
range-checked, read-back, journalled path as every setpoint). Curve edits are for engineers:
the panel asks `why_not("curve")` and `why_not("write")` and shows the reason.
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.app.adapters import Snapshot, StationDetail
from console.app.doorway import Doorway
from console.core.atomic_file import write_text_atomically
from console.core.energy.export import write_csv
from console.core.energy.metering import (
    ENERGY_POINT,
    OUTDOOR_POINT,
    MeteringReport,
    build_metering,
    periods,
    season_of,
)
from console.vocabulary.quality import Quality
from console.vocabulary.views import PointView
from widgets.heating_curve import CURVE_POINTS, CurveView, HeatingCurve
from widgets.locale_format import number
from widgets.metering_view import MeteringView
from widgets.setpoint_dialog import SetpointDialog

log = logging.getLogger(__name__)

REFRESH_S = 300.0  # the figures move slowly; a counter is stored every 15 min
# The first load asks for so many stations per request that the service loop reads for about
# LOAD_BUDGET_S (bench/bench_metering.py: ~1.7 ms per station and season day, two points).
LOAD_BUDGET_S = 0.15
READ_S_PER_STATION_DAY = 0.0017
OVERLAP_S = 900.0  # a refresh reads back this far (the history's counter heartbeat)
# Of what a refresh brought, older than the overlap, the panel keeps one good sample per point
# and THIN_S: a refresh reads the live ring (every scan, 5 s), and kept for a season that grew
# by 757 stations × 2 points × 720 scans × 17 B ≈ 18 MB an hour on the full city. The figures
# lose nothing that matters: the history itself keeps a counter every 15 min, and the
# degree-days hold a sample for up to an hour.
THIN_S = 300.0
STALL_S = 120.0  # a fetch unanswered this long (no server owns the stations) is given up
_EMPTY = (np.zeros(0), np.zeros(0), np.zeros(0, np.uint8))


def _appended(old, new):  # type: ignore[no-untyped-def]
    """`old` samples before the first of `new`, then `new` (a refresh overlaps the last)."""
    t, v, q = (np.asarray(x) for x in new)
    if old is None or len(old[0]) == 0:
        return t, v, q
    if len(t) == 0:
        return old
    keep = old[0] < t[0]
    return tuple(np.concatenate([o[keep], n]) for o, n in zip(old, (t, v, q), strict=True))


def _thinned(t, v, q, before: float):  # type: ignore[no-untyped-def]
    """Good samples only (the metering reads no other), and of those before `before` the first
    of each THIN_S interval."""
    t, v, q = (np.asarray(x) for x in (t, v, q))
    good = q == Quality.GOOD
    t, v, q = t[good], v[good], q[good]
    old = np.flatnonzero(t < before)  # a prefix: the samples are in time order
    bucket = np.floor(t[old] / THIN_S)
    keep = np.ones(len(t), dtype=bool)
    keep[old[1:]] = bucket[1:] != bucket[:-1]
    return t[keep], v[keep], q[keep]


def curve_view(detail: StationDetail) -> CurveView:
    """The open station's curve, setpoint and actual T3 from its live points."""
    pts = detail.points

    def v(name: str) -> float | None:
        pv = pts.get(name)
        return None if pv is None else pv.value

    first = pts.get(CURVE_POINTS[0][0])
    lo = first.write_min if first is not None and first.write_min is not None else 20.0
    hi = first.write_max if first is not None and first.write_max is not None else 95.0
    return CurveView(
        station=f"{detail.station} {detail.state.name}".strip(),
        points=tuple(v(name) for name, _ in CURVE_POINTS),
        shift=v("curve_shift"),
        outdoor=v("outdoor_temp"),
        setpoint=v("t3_setpoint_active"),
        actual=v("t3_secondary_supply"),
        t3_min=v("t3_min"),
        t3_max=v("t3_max"),
        write_min=lo,
        write_max=hi,
    )


class EnergyPanel(QWidget):
    open_station = Signal(str)  # a station double-clicked in the metering table
    metering_ready = Signal(object)  # MeteringReport, built on the panel's worker thread
    file_written = Signal(str, str)  # "metering", path — as the doorway's exports say it
    message = Signal(str, bool)  # for the status line: text, error

    def __init__(
        self,
        doorway: Doorway,
        parent: QWidget | None = None,
        *,
        refresh_s: float = REFRESH_S,
        tz: tzinfo | None = None,
        season_start: tuple[int, int] | None = None,
        batch_stations: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.doorway = doorway
        self.tz = tz
        self.season_start = season_start
        self._detail: StationDetail | None = None
        self._pending: tuple[float, float] | None = None  # the season being fetched
        self._batches: list[list[str]] = []
        self._held: dict = {}  # key -> (t, v, q) of the season so far
        self._held_from = self._held_until = 0.0
        self._asked = 0.0
        self.batch_stations = batch_stations  # None: from the season's length
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="metering")
        self.dialog: SetpointDialog | None = None  # the open confirmation, if any
        self.report: MeteringReport | None = None

        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.metering = MeteringView()
        split.addWidget(self.metering)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.curve = HeatingCurve()
        rl.addWidget(self.curve, 1)
        row = QHBoxLayout()
        self.shift_button = QPushButton()
        self.shift_button.clicked.connect(self._edit_shift)
        self.reason = QLabel()
        self.reason.setProperty("role", "reason")
        self.reason.setWordWrap(True)
        row.addWidget(self.shift_button)
        row.addWidget(self.reason, 1)
        rl.addLayout(row)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split)

        doorway.trend_fetched.connect(self._on_trend_fetched)
        self.metering_ready.connect(self._on_metering)
        self.curve.edit_intent.connect(self.edit_point)
        self.metering.station_activated.connect(self.open_station)
        self.timer = QTimer(self)
        self.timer.setInterval(int(refresh_s * 1000))
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        if self._held_until == 0.0:
            self.refresh()  # the season's first load when the operator first looks
        super().showEvent(event)

    def _tick(self) -> None:
        if self._held_until or self.isVisible():  # never loaded and never shown: nothing to do
            self.refresh()

    def close_pool(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- metering ------------------------------------------------------------------------------
    def refresh(self, now: float | None = None) -> None:
        """Ask the doorway for every station's counter and outdoor temperature this season.

        The first time, the whole season, a few stations per request: a season of one point is
        ~500 hourly history chunks, and a local doorway reads them on the service loop, which
        must keep polling in between (bench/bench_metering.py). After that only what is new
        since the last refresh, appended to what the panel holds."""
        why = self.doorway.why_not_words("trend_query")
        if why is not None:  # a viewer's seat: the server would refuse every request
            self.metering.set_report(
                None, self.tr("Metering needs the history: {reason}").format(reason=why)
            )
            return
        if self._pending is not None and time.monotonic() - self._asked < STALL_S:
            return  # the previous refresh is still arriving
        now = time.time() if now is None else now
        season, tz = season_of(self.doorway.net, self.season_start, self.tz)
        start = periods(now, tz, season)["season"][0]
        if start != self._held_from:  # first refresh, or a new season: everything again
            self._held, self._held_from, self._held_until = {}, start, start
        ids = [s.id for s in self.doorway.net.stations]
        step = len(ids)  # a refresh: minutes of data per station, one request
        if self._held_until <= start:
            days = max(1.0, (now - start) / 86400)
            auto = int(LOAD_BUDGET_S / (READ_S_PER_STATION_DAY * days))
            step = self.batch_stations or max(1, auto)
        self._batches = [ids[k : k + step] for k in range(0, len(ids), step)]
        self._pending = (max(start, self._held_until - OVERLAP_S), now)
        self._asked = time.monotonic()
        self._next_batch()

    def _next_batch(self) -> None:
        assert self._pending is not None
        batch = self._batches.pop(0)
        keys = [f"{sid}/{p}" for sid in batch for p in (ENERGY_POINT, OUTDOOR_POINT)]
        self.doorway.fetch_trend(keys, *self._pending)

    @Slot(object, float, float)
    def _on_trend_fetched(self, data: dict, start: float, end: float) -> None:
        if self._pending != (start, end):
            return  # another view's fetch (the trend plot)
        for key, new in data.items():
            self._held[key] = _thinned(*_appended(self._held.get(key), new), end - OVERLAP_S)
        if self._batches:
            self._next_batch()
            return
        self._pending = None
        self._held_until = end
        got, net, tz, season = dict(self._held), self.doorway.net, self.tz, self.season_start

        def series(sid: str, point: str, a: float, b: float):  # type: ignore[no-untyped-def]
            return got.get(f"{sid}/{point}", _EMPTY)

        def work() -> None:
            try:
                r = build_metering(net, series, now=end, tz=tz, season_start=season)
            except Exception:  # a figure must never take the console down: logged, shown
                log.exception("metering failed")
                return
            self.metering_ready.emit(r)  # queued to the GUI thread

        self._pool.submit(work)

    @Slot(object)
    def _on_metering(self, report: MeteringReport) -> None:
        self.report = report
        self.metering.set_report(report)

    def export_csv(self, out: Path) -> None:
        """The report shown — every station and district, today / month / season — as the CSV
        `heatconsole energy --format csv` writes; on the panel's worker, never half-written."""
        report = self.report
        if report is None:
            return
        done = self.tr("Metering exported: {n} rows to {path}")
        failed = self.tr("Metering export failed: {path}: {error}")

        def work() -> None:
            try:
                n = write_text_atomically(out, lambda fh: write_csv(report, fh))
            except OSError as e:  # a full disk, a folder gone: said, the console goes on
                self.message.emit(failed.format(path=out, error=e.strerror or e), True)
                return
            self.message.emit(done.format(n=n, path=out), False)
            self.file_written.emit("metering", str(out))

        self._pool.submit(work)

    # --- heating curve -------------------------------------------------------------------------
    def apply_snapshot(self, snap: Snapshot) -> None:
        """The window's snapshot: the open station's curve (None when no station is open)."""
        self._detail = snap.detail
        self.curve.set_curve(curve_view(snap.detail) if snap.detail is not None else None)
        self._update_permissions()

    def why_not_edit(self, point: str = CURVE_POINTS[0][0]) -> str | None:
        """Why the curve cannot be changed now (None = it can)."""
        d = self._detail
        if d is None:
            return self.tr("Open a station to change its curve.")
        for verb in ("curve", "write"):
            reason = self.doorway.why_not_words(verb)
            if reason is not None:
                return self.tr("Changing the curve: {reason}").format(reason=reason)
        ctl = d.points.get("control_level")
        if ctl is not None and ctl.value == 0:
            return self.tr("The station is under LOCAL control: the curve cannot be changed.")
        pv = d.points.get(point)
        if pv is None:
            return self.tr("This station has no heating curve.")
        if pv.quality != Quality.GOOD:
            return self.tr("The station's data is not good: wait for good data.")
        return None

    def _update_permissions(self) -> None:
        reason = self.why_not_edit()
        self.curve.set_editable(reason)
        self.shift_button.setEnabled(reason is None)
        self.shift_button.setToolTip(reason or "")
        self.reason.setText(reason or "")

    def _point_view(self, point: str) -> PointView | None:
        if self._detail is None or point not in self._detail.points:
            return None
        pv = self._detail.points[point]
        for name, x in CURVE_POINTS:
            if name == point:
                label = self.tr("Curve: T3 at {outdoor} °C outdoor").format(outdoor=number(x, 0))
                return replace(pv, label=label)
        return pv

    def edit_point(self, point: str, value: float | None = None) -> None:
        """Confirm a change of `point` (a curve point or the shift), then write it."""
        reason = self.why_not_edit(point)
        pv = self._point_view(point)
        if reason is not None or pv is None or self._detail is None:
            self.reason.setText(reason or "")
            return
        sid = self._detail.station
        dlg = SetpointDialog(pv, station_name=self._detail.state.name, parent=self)
        if value is not None:
            dlg.set_text(f"{value:.1f}")
        dlg.confirmed.connect(lambda name, v: self.doorway.write(sid, name, v))
        dlg.finished.connect(lambda _: setattr(self, "dialog", None))
        self.dialog = dlg
        dlg.open()  # window-modal, never a nested event loop

    def _edit_shift(self) -> None:
        self.edit_point("curve_shift")

    # --- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.shift_button.setText(self.tr("Change curve shift…"))
        self._update_permissions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
