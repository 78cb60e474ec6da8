"""What a journal event is about: the journal stores it, the journal viewer filters by it."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    ALARM = "alarm"  # an alarm changed state
    COMM = "comm"  # a station's communication changed (ok / failed / stale)
    OPERATOR = "operator"  # acknowledge, shelve, unshelve, silence, write, login, note
    CONFIG = "config"  # a configuration was loaded
    SYSTEM = "system"  # console start/stop, journal buffering, flood begin/end
    ADVISORY = "advisory"  # a forecast warning (not an alarm): rooms forecast cold
