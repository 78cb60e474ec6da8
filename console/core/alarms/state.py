"""The ISA-18.2 / IEC 62682 alarm lifecycle, held as arrays: one slot per alarm.

A network has about 470,000 alarms (three per room, a score per station), almost all NORMAL, so
the state lives in flat numpy arrays and only the slots worth looking at (condition active, a
delay timer running, or the raw condition true this scan) are stepped. Python objects are
created only for alarms that change or are shown.

The ISA state is two bits, so illegal combinations cannot be represented:

    cond  acked   state
    no    yes     NORMAL
    yes   no      UNACK        (active, unacknowledged)
    yes   yes     ACK          (active, acknowledged)
    no    no      RTN_UNACK    (returned to normal, unacknowledged)

Shelving, out-of-service and suppression-by-design are overlays that hide the alarm (it is
still evaluated and its condition changes are still reported). While hidden an alarm needs no
acknowledgement (`acked` is held True); when the last overlay ends an active alarm comes back
UNACK so the operator sees it, an inactive one comes back NORMAL.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from console.core.events import AlarmState

# Visible state codes (int8 in arrays), index into STATES.
NORMAL, UNACK, ACK, RTN_UNACK, SHELVED, SUPPRESSED, OUT_OF_SERVICE = range(7)
STATES: tuple[AlarmState, ...] = (
    AlarmState.NORMAL,
    AlarmState.UNACK,
    AlarmState.ACK,
    AlarmState.RTN_UNACK,
    AlarmState.SHELVED,
    AlarmState.SUPPRESSED,
    AlarmState.OUT_OF_SERVICE,
)
STATE_CODE: dict[AlarmState, int] = {s: i for i, s in enumerate(STATES)}


@dataclass(frozen=True)
class ShelveInfo:
    user: str
    reason: str
    since: float
    until: float | None  # None: one-shot, ends when the condition clears

    def __post_init__(self) -> None:
        # Who and why are mandatory for shelving (ISA-18.2 §11): refuse anonymous shelving.
        if not self.user.strip() or not self.reason.strip():
            raise ValueError("shelving needs a user and a reason")


@dataclass(frozen=True)
class OutOfServiceInfo:
    user: str
    reason: str
    since: float

    def __post_init__(self) -> None:
        if not self.user.strip() or not self.reason.strip():
            raise ValueError("taking an alarm out of service needs a user and a reason")


@dataclass
class StepResult:
    """Which of the stepped slots changed; arrays of global slot indices."""

    rise: np.ndarray  # condition became active
    rise_start: np.ndarray  # when each riser's condition was first seen (first-out ordering)
    fall: np.ndarray  # condition cleared
    realarm: np.ndarray  # ACK for longer than the re-alarm time -> UNACK again


class SlotBank:
    """State arrays for `n` alarms plus the vectorised transitions between them."""

    def __init__(self, on_delay: np.ndarray, off_delay: np.ndarray, realarm: np.ndarray) -> None:
        n = len(on_delay)
        self.n = n
        self.on_delay = on_delay.astype(np.float64)
        self.off_delay = off_delay.astype(np.float64)
        self.realarm = realarm.astype(np.float64)
        self.cond = np.zeros(n, dtype=bool)
        self.acked = np.ones(n, dtype=bool)
        self.pending = np.zeros(n, dtype=bool)  # an on- or off-delay timer is running
        self.since = np.full(n, np.nan)  # when the pending timer started
        self.t_active = np.full(n, np.nan)  # when the condition last became active
        self.t_change = np.full(n, np.nan)  # last visible transition (sorting)
        self.t_ack = np.full(n, np.nan)
        self.value = np.full(n, np.nan)  # last value seen with good quality
        self.shelved = np.zeros(n, dtype=bool)
        self.oos = np.zeros(n, dtype=bool)
        self.suppressed = np.zeros(n, dtype=bool)
        # Monotonic number of the moment each alarm last became UNACK: annunciation compares it
        # with the silence watermark (scan times can tie, sequence numbers cannot).
        self.unack_seq = np.zeros(n, dtype=np.int64)
        self.seq = 0

    # -- queries ---------------------------------------------------------------------------

    def hidden(self, g: np.ndarray | slice) -> np.ndarray:
        return self.shelved[g] | self.oos[g] | self.suppressed[g]

    def visible(self, g: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Visible state codes (int8) of the slots `g`."""
        cond, acked = self.cond[g], self.acked[g]
        code = np.where(cond, np.where(acked, ACK, UNACK), np.where(acked, NORMAL, RTN_UNACK))
        code = np.where(self.suppressed[g], SUPPRESSED, code)
        code = np.where(self.shelved[g], SHELVED, code)
        return np.where(self.oos[g], OUT_OF_SERVICE, code).astype(np.int8)

    # -- transitions -----------------------------------------------------------------------

    def _mark_unack(self, g: np.ndarray, t: np.ndarray | float) -> None:
        self.acked[g] = False
        self.t_change[g] = t
        self.unack_seq[g] = np.arange(self.seq + 1, self.seq + 1 + len(g))
        self.seq += len(g)

    def step(
        self,
        g: np.ndarray,
        t: np.ndarray,
        raw_on: np.ndarray,
        raw_off: np.ndarray,
        valid: np.ndarray,
        x: np.ndarray,
    ) -> StepResult:
        """Advance the slots `g` (unique) by one sample each.

        raw_on: the activation condition holds (value beyond the limit);
        raw_off: the clear condition holds (value back inside limit ± deadband);
        valid: the value is usable. An invalid sample neither confirms nor breaks a timer and
        never changes the condition: bad quality holds the alarm where it is.
        """
        cond = self.cond[g]
        want = np.where(cond, raw_off, raw_on) & valid
        broke = valid & ~want
        pending = self.pending[g]
        since = np.where(want & ~pending, t, self.since[g])
        delay = np.where(cond, self.off_delay[g], self.on_delay[g])
        fire = want & (t - since >= delay)
        self.pending[g] = (pending | want) & ~broke & ~fire
        self.since[g] = np.where(fire | broke, np.nan, since)
        self.value[g] = np.where(valid, x, self.value[g])

        rise_m = fire & ~cond
        rise, fall = g[rise_m], g[fire & cond]
        t_rise = t[rise_m] if np.ndim(t) else t
        t_fall = t[fire & cond] if np.ndim(t) else t
        if len(rise):
            self.cond[rise] = True
            self.t_active[rise] = t_rise
            self.t_change[rise] = t_rise
            vis = ~self.hidden(rise)
            self._mark_unack(rise[vis], t_rise[vis] if np.ndim(t_rise) else t_rise)
        if len(fall):
            self.cond[fall] = False
            self.t_change[fall] = t_fall

        # Re-alarm: acknowledged but still active for longer than the rule's re-alarm time.
        keep = ~fire
        gk = g[keep]
        tk = t[keep] if np.ndim(t) else t
        re_m = (
            self.cond[gk]
            & self.acked[gk]
            & (self.realarm[gk] > 0)
            & (tk - self.t_ack[gk] >= self.realarm[gk])
            & ~self.hidden(gk)
        )
        realarm = gk[re_m]
        if len(realarm):
            self._mark_unack(realarm, tk[re_m] if np.ndim(tk) else tk)
        return StepResult(rise, since[rise_m], fall, realarm)

    def acknowledge(self, g: np.ndarray, t: float) -> np.ndarray:
        """Acknowledge the slots `g`; returns those that changed (UNACK->ACK, RTN_UNACK->NORMAL)."""
        g = g[~self.acked[g] & ~self.hidden(g)]
        self.acked[g] = True
        self.t_ack[g] = t
        self.t_change[g] = t
        return g

    def set_overlay(self, which: str, g: np.ndarray, on: bool, t: float) -> np.ndarray:
        """Set or clear one overlay ("shelved", "oos", "suppressed") on `g`.

        Returns the slots whose visible state changed.
        """
        if len(g) == 0:
            return g
        before = self.visible(g)
        getattr(self, which)[g] = on
        if on:
            self.acked[g] = True  # hidden alarms need no acknowledgement
        else:
            back = g[~self.hidden(g)]
            active = back[self.cond[back]]
            self.acked[back] = True
            self._mark_unack(active, t)  # an active alarm comes back where the operator sees it
        changed = g[self.visible(g) != before]
        self.t_change[changed] = t
        return changed
