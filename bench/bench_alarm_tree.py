"""Benchmark: repainting the alarm summary's tree with thousands of alarms (issue 5, Alarms tab).

The tree shows ~6,700 room alarms in 60 station groups (collapsed, one expanded) plus loose
alarms, in an AlarmSummary of 1900 x 1000 px, offscreen. Every painted cell's roles come from
Python; each C++ -> Python call may wait for the GIL while the service thread runs Python, so
the figures are the repaint time and the number of calls into Python per repaint:

- full repaint of the viewport (a diff landed), idle and with a busy Python thread holding the
  GIL between switches (switch interval 1 ms, as in the console process);
- one blink (unacknowledged alarms flash twice a second).

Same-run baseline: the previous design, in the same process on the same rows: every role of
every painted cell asked separately through a plain QSortFilterProxyModel (two calls into
Python per role: the source's index() and data(), ~7 roles per cell, plus flags()), each value
computed on every call, and a blink repainting the whole viewport (the unacked rows' wash
blinked too).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_alarm_tree.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_alarm_tree.py --tiny   # smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication

from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import (
    OUT_OF_SERVICE_STATES,
    TEXT_MUTED,
    TEXT_NORMAL,
    AlarmFilterProxy,
    AlarmTreeModel,
    Col,
    comm_brush,
    is_comm_alarm,
    priority_color,
    priority_text_color,
    priority_tint,
)
from widgets.alarm_summary import AlarmSummary
from widgets.colors import BlinkClock

T0 = 1_796_000_000.0
_Index = QModelIndex | QPersistentModelIndex


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"load {load:.1f}"
    )


def night(groups: int, rooms: int) -> list[AlarmRow]:
    """A cold night: room groups of chilled stations plus loose comm alarms (a third acked)."""
    out: list[AlarmRow] = []
    for g in range(groups):
        st = f"jx-{g:03d}"
        kids = tuple(
            AlarmRow(
                key=f"{st}/room_temp[{i}]/room_low",
                station=st,
                station_name=f"涧西{g}站",
                district="涧西",
                point=f"room_temp[{i}]",
                rule="room_low",
                priority=Priority.HIGH if i % 7 == 0 else Priority.MEDIUM,
                state=AlarmState.ACK if i % 5 == 0 else AlarmState.UNACK,
                message=f"Room {i}: {16.0 + (i % 20) / 10:.1f} °C below 18 °C",
                time=T0 + g * 60 + i,
                value=16.0 + (i % 20) / 10,
                limit=18.0,
            )
            for i in range(rooms)
        )
        out.append(
            AlarmRow(
                key=f"{st}/rooms/room_low",
                station=st,
                station_name=f"涧西{g}站",
                district="涧西",
                point="rooms",
                rule="room_low",
                priority=Priority.HIGH,
                state=AlarmState.UNACK,
                message=f"{rooms} rooms below 18 °C, coldest 16.0 °C",
                time=T0 + g * 60 + rooms,
                value=16.0,
                limit=18.0,
                children=kids,
            )
        )
        if g % 3 == 0:
            out.append(
                AlarmRow(
                    key=f"{st}/comm/comm_fail",
                    station=st,
                    station_name=f"涧西{g}站",
                    district="涧西",
                    point="comm",
                    rule="comm_fail",
                    priority=Priority.HIGH,
                    state=AlarmState.ACK if g % 2 else AlarmState.UNACK,
                    message="No answer from the station",
                    time=T0 + g * 60,
                )
            )
    return out


# --- the same-run baseline: the previous, per-role design -------------------------------------


class PerRoleModel(AlarmTreeModel):
    """Every role computed on every call (brushes, colours and text built per call)."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self._node(index)
        if node is None:
            return None
        row: AlarmRow = node.row
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col, child=node.parent is not self._root)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._old_background(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._old_foreground(row, col)
        if role == Qt.ItemDataRole.FontRole:
            if row.state == AlarmState.UNACK:
                return self._bold
            if row.state in OUT_OF_SERVICE_STATES:
                return self._italic
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Col.VALUE, Col.LIMIT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._other_role(row, col, role)

    def _old_background(self, row: AlarmRow, col: int) -> QBrush | None:
        if row.state in OUT_OF_SERVICE_STATES or row.state == AlarmState.NORMAL:
            return None
        if col == Col.VALUE and is_comm_alarm(row):
            return comm_brush()
        on = self._blink_on
        if col == Col.PRIORITY:
            if row.state == AlarmState.ACK:
                return QBrush(priority_color(row.priority))
            if row.state == AlarmState.UNACK:
                return QBrush(priority_color(row.priority) if on else priority_tint(row.priority))
            return QBrush(priority_tint(row.priority, 0.45 if on else 0.2))
        if row.state == AlarmState.UNACK:
            return QBrush(priority_tint(row.priority, 0.22 if on else 0.1))  # the wash blinked
        return None

    def _old_foreground(self, row: AlarmRow, col: int) -> QColor | None:
        if row.state in OUT_OF_SERVICE_STATES or row.state == AlarmState.RTN_UNACK:
            if col == Col.PRIORITY and row.state == AlarmState.RTN_UNACK:
                return QColor(TEXT_NORMAL)
            return QColor(TEXT_MUTED)
        if col == Col.PRIORITY and (row.state == AlarmState.ACK or self._blink_on):
            return priority_text_color(row.priority)
        return QColor(TEXT_NORMAL)


class PerRoleProxy(QSortFilterProxyModel):
    """The same filter and sort as AlarmFilterProxy, but Qt's own data path: per role, the
    proxy maps the index (source index()) and asks the source's data()."""

    _source_row = AlarmFilterProxy._source_row
    _node_of = AlarmFilterProxy._node_of
    filterAcceptsRow = AlarmFilterProxy.filterAcceptsRow
    lessThan = AlarmFilterProxy.lessThan

    def __init__(self, model: AlarmTreeModel, like: AlarmFilterProxy) -> None:
        super().__init__()
        self._tree = model
        self.district, self.priorities, self.states, self.text = (
            like.district,
            like.priorities,
            like.states,
            like.text,
        )
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)
        self.setSourceModel(model)


# --- measuring --------------------------------------------------------------------------------


class Case:
    """One alarm summary on screen, optimised or baseline, with the same rows."""

    def __init__(self, rows: list[AlarmRow], baseline: bool) -> None:
        self.clock = BlinkClock()
        self.clock.stop()  # phases are flipped by hand
        self.summary = AlarmSummary(blink=self.clock)
        self.baseline = baseline
        if baseline:
            old = self.summary.model
            model = PerRoleModel(self.summary, blink=self.clock)
            old.blink_changed.disconnect()
            self.summary.model = model
            self.summary.proxy = PerRoleProxy(model, self.summary.proxy)
            self.summary.view.setModel(self.summary.proxy)
            self.summary.view.sortByColumn(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
        self.summary.resize(1900, 1000)
        self.summary.show()
        self.summary.set_rows(rows)
        self.summary.view.expand(self.summary.proxy.index(0, 0))  # the operator looks into one
        QApplication.processEvents()
        self.viewport = self.summary.view.viewport()
        self.phase = True

    def full(self) -> None:
        self.viewport.repaint()

    def blink(self) -> None:
        self.phase = not self.phase
        self.clock.set_phase(self.phase)
        if self.baseline:
            self.viewport.repaint()  # the previous blink: the whole viewport
        else:
            self.viewport.repaint(self.summary.blink_rect())

    def painted_rows(self) -> int:
        view = self.summary.view
        n, idx = 0, view.indexAt(view.viewport().rect().topLeft())
        while idx.isValid() and view.visualRect(idx).top() < view.viewport().height():
            n += 1
            idx = view.indexBelow(idx)
        return n


def calls_into_python(fn: Callable[[], None]) -> int:
    """Python functions entered from C++ while `fn` runs (each such call takes the GIL, and may
    wait for it while another thread runs Python): Python calls made while their caller frame
    is inside a call into C (the profiler's c_call ... c_return)."""
    in_c: set[int] = set()  # ids of Python frames currently inside a C call
    n = 0

    def prof(frame: FrameType, event: str, _arg: object) -> None:
        nonlocal n
        if event == "c_call":
            in_c.add(id(frame))
        elif event in ("c_return", "c_exception"):
            in_c.discard(id(frame))
        elif event == "call" and frame.f_back is not None and id(frame.f_back) in in_c:
            n += 1

    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return n


def timed(fn: Callable[[], None], n: int) -> tuple[float, float, float]:
    """(median, p90, max) wall ms over n calls."""
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return statistics.median(ts), ts[min(len(ts) - 1, int(len(ts) * 0.9))], ts[-1]


class Busy:
    """A Python thread that wants the GIL all the time (the service thread building a
    snapshot); switch interval 1 ms as in the console process."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._spin, daemon=True)
        self._interval = sys.getswitchinterval()

    def _spin(self) -> None:
        x = 0
        while not self._stop.is_set():
            for i in range(2000):
                x += i

    def __enter__(self) -> Busy:
        sys.setswitchinterval(0.001)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        sys.setswitchinterval(self._interval)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiny", action="store_true", help="a few rows, few repeats (smoke test)")
    ap.add_argument("--groups", type=int, default=60)
    ap.add_argument("--rooms", type=int, default=111)
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    if args.tiny:
        args.groups, args.rooms, args.repeats = 3, 8, 3

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    rows = night(args.groups, args.rooms)
    leaves = sum(len(r.children) or 1 for r in rows)
    opt, base = Case(rows, baseline=False), Case(rows, baseline=True)
    print(machine())
    print(
        f"tree: {leaves} alarms in {len(rows)} top-level rows ({args.groups} groups, one "
        f"expanded), 1900 x 1000 px, {opt.painted_rows()} rows x {len(Col)} columns painted"
    )
    for c in (opt, base):  # warm both (first paint builds caches and fonts)
        c.full()
        c.blink()
        c.blink()

    def line(what: str, o: Callable[[], None], b: Callable[[], None], busy: bool) -> None:
        co, cb = calls_into_python(o), calls_into_python(b)
        if busy:
            with Busy():
                ro, rb = timed(o, args.repeats), timed(b, args.repeats)
        else:
            ro, rb = timed(o, args.repeats), timed(b, args.repeats)
        print(
            f"{what}: median {ro[0]:.1f} ms, p90 {ro[1]:.1f} ms, max {ro[2]:.1f} ms, {co} calls "
            f"into Python | baseline per-role: median {rb[0]:.1f} ms, p90 {rb[1]:.1f} ms, max "
            f"{rb[2]:.1f} ms, {cb} calls | ratio median {ro[0] / rb[0]:.2f}"
        )

    line("full repaint, idle", opt.full, base.full, busy=False)
    line("full repaint, busy Python thread", opt.full, base.full, busy=True)
    line("blink, idle", opt.blink, base.blink, busy=False)
    line("blink, busy Python thread", opt.blink, base.blink, busy=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
