"""ISA-18.2 alarm engine over station scans (Qt-free).

See engine.AlarmEngine for the API; rules.py for the built-in rule set; state.py for the
lifecycle; summary.py, flood.py and annunciation.py for what the operator sees and hears.
"""

from console.core.alarms.engine import ALL_VISIBLE, AlarmEngine
from console.core.alarms.state import OutOfServiceInfo, ShelveInfo
from console.core.alarms.summary import AlarmSummary, AlarmView, SummaryRow

__all__ = [
    "ALL_VISIBLE",
    "AlarmEngine",
    "AlarmSummary",
    "AlarmView",
    "OutOfServiceInfo",
    "ShelveInfo",
    "SummaryRow",
]
