"""The words every view shares, translated when shown: priorities, alarm states, qualities,
point names, enumerated values and alarm rule texts.

The tables hold the English source text marked with QT_TRANSLATE_NOOP (so `pyside6-lupdate`
finds it); the functions translate at call time, so a language switch needs no rebuild of the
tables. Point labels are looked up by the point's name (the register map's vocabulary), so the
dispatcher reads 一次供水温度, not whatever label the configuration carried.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.quality import Quality
from widgets import colors

_tr = QCoreApplication.translate

PRIORITY_LABEL: dict[Priority, str] = {  # the alarm list's priority column
    Priority.CRITICAL: QT_TRANSLATE_NOOP("Priority", "CRITICAL"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Priority", "HIGH"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Priority", "MEDIUM"),
    Priority.LOW: QT_TRANSLATE_NOOP("Priority", "LOW"),
    Priority.INFO: QT_TRANSLATE_NOOP("Priority", "INFO"),
}
PRIORITY_NAME: dict[Priority, str] = {  # buttons, sentences
    Priority.CRITICAL: QT_TRANSLATE_NOOP("Priority", "critical"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Priority", "high"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Priority", "medium"),
    Priority.LOW: QT_TRANSLATE_NOOP("Priority", "low"),
    Priority.INFO: QT_TRANSLATE_NOOP("Priority", "info"),
}
STATE_LABEL: dict[AlarmState, str] = {
    AlarmState.NORMAL: QT_TRANSLATE_NOOP("AlarmState", "Normal"),
    AlarmState.UNACK: QT_TRANSLATE_NOOP("AlarmState", "● Unacked"),
    AlarmState.ACK: QT_TRANSLATE_NOOP("AlarmState", "Acked"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("AlarmState", "○ Cleared, unack"),
    AlarmState.SHELVED: QT_TRANSLATE_NOOP("AlarmState", "Shelved"),
    AlarmState.SUPPRESSED: QT_TRANSLATE_NOOP("AlarmState", "Suppressed"),
    AlarmState.OUT_OF_SERVICE: QT_TRANSLATE_NOOP("AlarmState", "Out of service"),
}
KIND_TEXT: dict[str, str] = {  # journal event kinds (console.core.events.Kind)
    "alarm": QT_TRANSLATE_NOOP("Kind", "alarm"),
    "comm": QT_TRANSLATE_NOOP("Kind", "communication"),
    "operator": QT_TRANSLATE_NOOP("Kind", "operator"),
    "config": QT_TRANSLATE_NOOP("Kind", "configuration"),
    "system": QT_TRANSLATE_NOOP("Kind", "system"),
    "advisory": QT_TRANSLATE_NOOP("Kind", "advisory"),
}
# Labels of the register map's points (station_config/templates/substation-v1.yaml).
POINT_LABEL: dict[str, str] = {
    "outdoor_temp": QT_TRANSLATE_NOOP("Point", "Outdoor temperature"),
    "t1_primary_supply": QT_TRANSLATE_NOOP("Point", "T1 primary supply"),
    "t2_primary_return": QT_TRANSLATE_NOOP("Point", "T2 primary return"),
    "t3_secondary_supply": QT_TRANSLATE_NOOP("Point", "T3 secondary supply"),
    "t4_secondary_return": QT_TRANSLATE_NOOP("Point", "T4 secondary return"),
    "room_temp_mean": QT_TRANSLATE_NOOP("Point", "Room temperature, mean"),
    "room_temp_min": QT_TRANSLATE_NOOP("Point", "Room temperature, min"),
    "p1_primary_supply": QT_TRANSLATE_NOOP("Point", "P1 primary supply pressure"),
    "p2_primary_return": QT_TRANSLATE_NOOP("Point", "P2 primary return pressure"),
    "p3_secondary_supply": QT_TRANSLATE_NOOP("Point", "P3 secondary supply pressure"),
    "p4_secondary_return": QT_TRANSLATE_NOOP("Point", "P4 secondary return pressure"),
    "primary_flow": QT_TRANSLATE_NOOP("Point", "Primary flow"),
    "secondary_flow": QT_TRANSLATE_NOOP("Point", "Secondary flow"),
    "makeup_flow": QT_TRANSLATE_NOOP("Point", "Make-up flow"),
    "valve_position": QT_TRANSLATE_NOOP("Point", "Control valve position"),
    "pump1_speed": QT_TRANSLATE_NOOP("Point", "Pump 1 speed"),
    "pump2_speed": QT_TRANSLATE_NOOP("Point", "Pump 2 speed"),
    "heat_power": QT_TRANSLATE_NOOP("Point", "Heat power"),
    "heat_energy": QT_TRANSLATE_NOOP("Point", "Heat energy"),
    "primary_volume": QT_TRANSLATE_NOOP("Point", "Primary volume"),
    "makeup_volume": QT_TRANSLATE_NOOP("Point", "Make-up volume"),
    "t3_setpoint_active": QT_TRANSLATE_NOOP("Point", "T3 setpoint (active)"),
    "status_bits": QT_TRANSLATE_NOOP("Point", "Status word"),
    "alarm_bits": QT_TRANSLATE_NOOP("Point", "Alarm word"),
    "mode": QT_TRANSLATE_NOOP("Point", "Operating mode"),
    "control_level": QT_TRANSLATE_NOOP("Point", "Control (local/remote)"),
    "room_setpoint": QT_TRANSLATE_NOOP("Point", "Room setpoint"),
    "t3_fixed_setpoint": QT_TRANSLATE_NOOP("Point", "T3 fixed setpoint"),
    "curve_shift": QT_TRANSLATE_NOOP("Point", "Curve shift"),
    "t3_min": QT_TRANSLATE_NOOP("Point", "T3 minimum"),
    "t3_max": QT_TRANSLATE_NOOP("Point", "T3 maximum"),
    "t3_dev_high": QT_TRANSLATE_NOOP("Point", "T3 deviation above setpoint"),
    "t3_dev_low": QT_TRANSLATE_NOOP("Point", "T3 deviation below setpoint"),
    "p_secondary_low": QT_TRANSLATE_NOOP("Point", "Secondary pressure low limit"),
    "p_secondary_high": QT_TRANSLATE_NOOP("Point", "Secondary pressure high limit"),
    "dp_primary_low": QT_TRANSLATE_NOOP("Point", "Primary differential pressure low limit"),
    "makeup_flow_limit": QT_TRANSLATE_NOOP("Point", "Make-up flow limit"),
    "room_low_limit": QT_TRANSLATE_NOOP("Point", "Room temperature low limit"),
    "room_critical_limit": QT_TRANSLATE_NOOP("Point", "Room temperature critical limit"),
    "static_pressure_setpoint": QT_TRANSLATE_NOOP("Point", "Static pressure setpoint"),
    "manual_valve": QT_TRANSLATE_NOOP("Point", "Manual valve position"),
    "manual_pump_speed": QT_TRANSLATE_NOOP("Point", "Manual pump speed"),
}
ENUM_TEXT: dict[str, dict[int, str]] = {
    "mode": {
        0: QT_TRANSLATE_NOOP("Point", "manual"),
        1: QT_TRANSLATE_NOOP("Point", "weather curve"),
        2: QT_TRANSLATE_NOOP("Point", "fixed"),
        3: QT_TRANSLATE_NOOP("Point", "frost protection"),
        4: QT_TRANSLATE_NOOP("Point", "off"),
    },
    "control_level": {
        0: QT_TRANSLATE_NOOP("Point", "local"),
        1: QT_TRANSLATE_NOOP("Point", "remote (SCADA)"),
    },
}
# console/core/alarms/rules.py RULE_TEXT, for the views (core has no Qt to translate with).
RULE_TEXT: dict[str, str] = {
    "room_low": QT_TRANSLATE_NOOP("Rule", "room temperature low"),
    "room_critical": QT_TRANSLATE_NOOP("Rule", "room temperature below legal floor"),
    "t3_dev_high": QT_TRANSLATE_NOOP("Rule", "secondary supply above setpoint"),
    "t3_dev_low": QT_TRANSLATE_NOOP("Rule", "secondary supply below setpoint"),
    "p3_low": QT_TRANSLATE_NOOP("Rule", "secondary pressure low"),
    "p3_high": QT_TRANSLATE_NOOP("Rule", "secondary pressure high"),
    "dp_primary_low": QT_TRANSLATE_NOOP("Rule", "primary differential pressure low"),
    "makeup_high": QT_TRANSLATE_NOOP("Rule", "make-up flow high (leak?)"),
    "pump1_fault": QT_TRANSLATE_NOOP("Rule", "pump 1 fault"),
    "pump2_fault": QT_TRANSLATE_NOOP("Rule", "pump 2 fault"),
    "power_fail": QT_TRANSLATE_NOOP("Rule", "power failure"),
    "sensor_fault": QT_TRANSLATE_NOOP("Rule", "sensor fault"),
    "local_control": QT_TRANSLATE_NOOP("Rule", "station in local control"),
    "comm_fail": QT_TRANSLATE_NOOP("Rule", "communication failed"),
    "stale": QT_TRANSLATE_NOOP("Rule", "data stale (heartbeat frozen)"),
    "leak_suspected": QT_TRANSLATE_NOOP("Rule", "suspected leak"),
}


def priority_label(p: Priority) -> str:
    """CRITICAL / 紧急 (the priority column, banner marker)."""
    return _tr("Priority", PRIORITY_LABEL[p])


def priority_name(p: Priority) -> str:
    """critical / 紧急 (in sentences); `.capitalize()` it for a button in English."""
    return _tr("Priority", PRIORITY_NAME[p])


def state_label(s: AlarmState) -> str:
    return _tr("AlarmState", STATE_LABEL[s])


def kind_text(kind: str) -> str:
    source = KIND_TEXT.get(kind)
    return _tr("Kind", source) if source else kind


def quality_text(q: Quality) -> str:
    """'communication failed' / 通讯故障."""
    return _tr("Quality", colors.QUALITY_TEXT[q])


def quality_marker(q: Quality) -> str:
    """The short tag beside a value that is not GOOD ('COMM' / 通讯), '' when GOOD."""
    m = colors.QUALITY_MARKER[q]
    return _tr("Quality", m) if m else ""


def point_label(name: str, fallback: str = "") -> str:
    """The point's name in the interface language; room sensors as 'Room 3' / '室温 3'."""
    if name.startswith("room_temp[") and name.endswith("]"):
        return room_label(name[10:-1])
    source = POINT_LABEL.get(name)
    return _tr("Point", source) if source else (fallback or name)


def room_label(index: int | str) -> str:
    return QCoreApplication.translate("Point", "Room {n}").format(n=index)


def enum_text(point: str, raw: int, fallback: str | None = None) -> str | None:
    """An enumerated value's text ('weather curve' / 气候补偿), else `fallback`."""
    source = ENUM_TEXT.get(point, {}).get(raw)
    return _tr("Point", source) if source else fallback


def rule_text(rule: str, fallback: str = "") -> str:
    """An alarm rule in words ('room temperature low' / 室温低)."""
    source = RULE_TEXT.get(rule)
    return _tr("Rule", source) if source else (fallback or rule.replace("_", " "))
