"""The bridge holds snapshot builds back while the operator pans/zooms (bounded by MAX_DEFER)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from console.app import bridge as bridge_mod
from console.app.bridge import INTERACTION_QUIET, MAX_DEFER, ServiceBridge
from console.core.service import ConsoleService
from station_config.schema import NetworkDef


def _bridge(net: NetworkDef) -> tuple[ConsoleService, ServiceBridge, list[float], list]:
    svc = ConsoleService(net, journal_path=None, history_path=False)
    br = ServiceBridge(SimpleNamespace(service=svc), min_interval=0.4)  # type: ignore[arg-type]
    clock = [100.0]
    br.clock = lambda: clock[0]
    built: list = []
    br.snapshot.connect(lambda snap: built.append(clock[0]))  # same thread: direct
    return svc, br, clock, built


def test_no_build_while_interaction_is_recent_then_after_the_quiet(qapp, small_network):
    svc, br, clock, built = _bridge(small_network)
    svc.process_pending()
    assert built == [100.0]  # the first snapshot is forced
    clock[0] = 101.0
    br.note_interaction()
    for t in (101.25, 101.5):  # due (interval 0.4 passed), but the operator just panned
        clock[0] = t
        svc.process_pending()
    assert built == [100.0] and br.deferred == 2
    clock[0] = 101.0 + INTERACTION_QUIET + 0.05  # quiet long enough: the window catches up
    svc.process_pending()
    assert built == [100.0, clock[0]]
    # an operator action's refresh is deferred the same way, and not lost
    br.note_interaction()
    br.refresh()
    clock[0] += 0.1
    svc.process_pending()
    assert len(built) == 2
    clock[0] += INTERACTION_QUIET
    svc.process_pending()
    assert len(built) == 3


def test_continuous_interaction_defers_at_most_max_defer(qapp, small_network):
    svc, br, clock, built = _bridge(small_network)
    svc.process_pending()
    t = 100.0
    while t < 108.0:  # the operator drags for 8 s, a batch every 0.25 s
        t += 0.25
        clock[0] = t
        br.note_interaction()
        svc.process_pending()
    gaps = [b - a for a, b in itertools.pairwise(built)]
    assert len(built) >= 3  # alarms still reach the window
    # due after min_interval, then deferred by at most MAX_DEFER (+ one batch to notice)
    assert max(gaps) <= 0.4 + MAX_DEFER + 0.25 + 1e-9
    assert min(gaps) >= MAX_DEFER  # and no build in between
    assert bridge_mod.MAX_DEFER <= 2.0  # documented bound (alarms appear promptly)


def test_no_interaction_no_deferral(qapp, small_network):
    svc, br, clock, built = _bridge(small_network)
    for i in range(8):
        clock[0] = 100.0 + 0.25 * i
        svc.process_pending()
    assert br.deferred == 0
    assert built == [100.0, 100.5, 101.0, 101.5]
