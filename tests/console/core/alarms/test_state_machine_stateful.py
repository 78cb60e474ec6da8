"""Hypothesis stateful test: no sequence of conditions, qualities, time steps and operator
actions reaches an illegal alarm state or an illegal transition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from console.core.alarms import AlarmEngine
from console.core.alarms.state import ACK, NORMAL, RTN_UNACK, UNACK
from drivers.points import build_point_table
from drivers.samples import CommState, Quality, StationScan
from station_config.alarm_rules import AlarmConfig
from station_config.loader import load_network

NET = load_network(Path(__file__).resolve().parents[3] / "fixtures" / "small_network.yaml")
CFG = AlarmConfig.model_validate(
    {
        "shelve_max_s": 600,
        "rules": {
            "room_low": {"on_delay_s": 30, "off_delay_s": 10, "realarm_s": 300},
            "room_critical": {"on_delay_s": 0, "deadband": 0.5},
        },
    }
)
ROOMS = 3
KEYS = [f"jx-001/room_temp[{i}]/{r}" for i in range(ROOMS) for r in ("room_low", "room_critical")]
# Transitions an evaluation or a tick may make (between visible, non-hidden states).
BY_PROCESS = {(NORMAL, UNACK), (UNACK, RTN_UNACK), (ACK, NORMAL), (ACK, UNACK), (RTN_UNACK, UNACK)}
BY_ACK = {(UNACK, ACK), (RTN_UNACK, NORMAL)}
temps = st.sampled_from([14.0, 15.7, 16.2, 17.0, 17.9, 18.1, 18.4, 21.0])
qualities = st.sampled_from(list(Quality))
users = st.sampled_from(["li", "wang"])


class AlarmMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.eng = AlarmEngine(NET, CFG)
        st_def = NET.station("jx-001")
        self.table = build_point_table(NET.templates[st_def.template], st_def)
        self.v = np.zeros(len(self.table))
        self.q = np.zeros(len(self.table), dtype=np.uint8)
        self.v[self.table.index["room_low_limit"]] = 18.0
        self.v[self.table.index["room_critical_limit"]] = 16.0
        self.v[self.table.indices("room_temp")] = 20.0
        self.v[self.table.index["control_level"]] = 1
        self.t = 0.0
        self.g = np.array([self.eng.slot(k) for k in KEYS])

    def _snap(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        b = self.eng.bank
        return b.visible(self.g), b.hidden(self.g), b.cond[self.g].copy()

    def _check(self, before, after, allowed) -> None:
        (vb, hb, _), (va, ha, _) = before, after
        for x, y, h1, h2 in zip(vb, va, hb, ha, strict=True):
            if not h1 and not h2 and x != y:
                assert (x, y) in allowed, (x, y)

    @rule(room=st.integers(0, ROOMS - 1), temp=temps, q=qualities, dt=st.floats(0, 120))
    def scan(self, room, temp, q, dt):
        i = self.table.index[f"room_temp[{room}]"]
        self.v[i], self.q[i] = temp, q
        self.t += dt
        before = self._snap()
        sc = StationScan("jx-001", self.t, self.v.copy(), self.q.copy(),
                         np.full(len(self.v), self.t), comm=CommState.OK)  # fmt: skip
        self.eng.evaluate(sc)
        after = self._snap()
        self._check(before, after, BY_PROCESS | {(UNACK, UNACK)})
        # A room whose value is not GOOD keeps its process condition exactly.
        for k, key in enumerate(KEYS):
            r = int(key.split("[")[1].split("]")[0])
            if self.q[self.table.index[f"room_temp[{r}]"]] != Quality.GOOD:
                assert before[2][k] == after[2][k], key

    @rule(dt=st.floats(0, 700))
    def tick(self, dt):
        self.t += dt
        self.eng.tick(self.t)

    @rule(k=st.sampled_from(KEYS), user=users)
    def acknowledge(self, k, user):
        before = self._snap()
        self.eng.acknowledge([k], user, "ok")
        self._check(before, self._snap(), BY_ACK)

    @rule(user=users)
    def acknowledge_all(self, user):
        before = self._snap()
        self.eng.acknowledge("all visible", user)
        after = self._snap()
        self._check(before, after, BY_ACK)
        assert not np.isin(after[0], (UNACK, RTN_UNACK)).any()

    @rule(k=st.sampled_from(KEYS), user=users, dur=st.one_of(st.none(), st.floats(1, 600)))
    def shelve(self, k, user, dur):
        if dur is None:
            self.eng.shelve(k, user, "test", one_shot=True)
        else:
            self.eng.shelve(k, user, "test", dur)

    @rule(k=st.sampled_from(KEYS), user=users)
    def unshelve(self, k, user):
        self.eng.unshelve(k, user)

    @rule(k=st.sampled_from(KEYS), user=users, on=st.booleans())
    def out_of_service(self, k, user, on):
        if on:
            self.eng.set_out_of_service(k, user, "maintenance")
        else:
            self.eng.return_to_service(k, user)

    @rule(user=users)
    def silence(self, user):
        states = self.eng.bank.visible(self.g)
        self.eng.silence(user)
        assert self.eng.sounding() == []
        assert np.array_equal(states, self.eng.bank.visible(self.g))  # silence acks nothing

    @invariant()
    def legal(self):
        b, e = self.eng.bank, self.eng
        g = self.g
        assert (b.acked[g] | ~b.hidden(g)).all(), "hidden alarms are held acknowledged"
        assert (b.shelved[g] == np.isin(g, list(e.shelves))).all()
        assert (b.oos[g] == np.isin(g, list(e.out_of_service))).all()
        for sh in e.shelves.values():
            assert sh.user and sh.reason
            if sh.until is not None:
                assert sh.until > e.now, "a timed shelve outlived its expiry"
                assert sh.until - sh.since <= CFG.shelve_max_s + 1e-9  # float: since + dur
        for gi in g[b.pending[g]]:
            assert not np.isnan(b.since[gi])
        for key in e.sounding():
            assert e.state(key) == "UNACK"


AlarmMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40,
                                          deadline=None)  # fmt: skip
TestAlarmMachine = AlarmMachine.TestCase
