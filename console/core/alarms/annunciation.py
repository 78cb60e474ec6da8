"""Audible annunciation: which alarms want sound, with Silence separate from Acknowledge.

An alarm sounds when it became UNACK (new activation, re-alarm, or back from shelving) after
the last Silence and its priority is one of the configured ones. Silence stops the sound but
acknowledges nothing: the alarms stay UNACK and flashing. A later new alarm sounds again.
Acknowledging an alarm stops its sound too (it is no longer UNACK).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from console.core.alarms.state import SlotBank
from console.core.events import Priority


class Annunciator:
    def __init__(self, priorities: Iterable[str]) -> None:
        self.ranks = np.array(sorted(Priority(p).rank for p in priorities), dtype=np.int8)
        self.silenced_seq = 0  # alarms that became UNACK at or before this are silenced
        self.silenced_by: str | None = None
        self.silenced_at: float | None = None

    def silence(self, bank: SlotBank, user: str, t: float) -> None:
        self.silenced_seq = bank.seq
        self.silenced_by, self.silenced_at = user, t

    def sounding(self, bank: SlotBank, prio: np.ndarray) -> np.ndarray:
        """Global slot indices of the alarms that want sound now."""
        cand = np.flatnonzero(bank.unack_seq > self.silenced_seq)
        # UNACK == active and unacknowledged (hidden alarms are held acknowledged).
        cand = cand[bank.cond[cand] & ~bank.acked[cand]]
        return cand[np.isin(prio[cand], self.ranks)]

    def tone(self, bank: SlotBank, prio: np.ndarray) -> Priority | None:
        """The most urgent priority sounding (the GUI picks the sound), None for silence."""
        g = self.sounding(bank, prio)
        return list(Priority)[int(prio[g].min())] if len(g) else None
