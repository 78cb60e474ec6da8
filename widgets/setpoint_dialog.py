"""Confirmation dialog for a write to an RW point: old → new, allowed range, refusal reasons.

It validates and returns the operator's confirmed value; it writes nothing itself. The caller
sends the write, shows the read-back and journals it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drivers.samples import Quality
from widgets import colors
from widgets.analog_indicator import format_value
from widgets.theme import ui_font
from widgets.view_models import PointView

CONTROL_LEVEL_POINT = "control_level"  # the one register a controller accepts in local control


def refusal_reason(pv: PointView, local_control: bool) -> str | None:
    """Why a write to this point must not be offered now (None = allowed)."""
    if not pv.writable:
        return f"{pv.label} is read-only."
    if pv.write_min is None or pv.write_max is None:
        return f"No allowed range is configured for {pv.label}; the console will not guess one."
    if local_control and pv.name != CONTROL_LEVEL_POINT:
        return (
            "The station is under LOCAL control: a field engineer holds it on site. "
            "The controller refuses remote writes until control is handed back to SCADA."
        )
    if pv.quality != Quality.GOOD:
        return (
            f"The station's data is not good ({colors.QUALITY_TEXT[pv.quality]}): the present "
            "value is not known, so a change could not be checked or confirmed. "
            "Wait until the station reports good data."
        )
    return None


class SetpointDialog(QDialog):
    confirmed = Signal(str, float)  # point name, value to write

    def __init__(
        self,
        point: PointView,
        *,
        station_name: str = "",
        local_control: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pv = point
        self._value: float | None = None
        self._decimals = point.decimals if point.decimals is not None else 1
        self._reason = refusal_reason(point, local_control)
        self.setWindowTitle(f"Change {point.label}")
        self.setModal(True)
        self.setMinimumWidth(420)

        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        title = QLabel(f"{station_name} — {point.label}" if station_name else point.label)
        title.setProperty("role", "title")
        title.setFont(ui_font(12))
        lay.addWidget(title)
        sub = QLabel(point.name)
        sub.setProperty("role", "caption")
        lay.addWidget(sub)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.old_label = QLabel(self._fmt(point.value) + self._quality_suffix())
        form.addRow("Current value", self.old_label)
        self.range_label = QLabel(
            f"{self._fmt(point.write_min)} … {self._fmt(point.write_max)}"
            if point.write_min is not None and point.write_max is not None
            else "not configured"
        )
        form.addRow("Allowed range", self.range_label)

        self.combo: QComboBox | None = None
        self.edit: QLineEdit | None = None
        if point.enum:
            self.combo = QComboBox()
            for raw, text in point.enum:
                self.combo.addItem(f"{text} ({raw})", raw)
            if point.value is not None and not math.isnan(point.value):
                i = self.combo.findData(round(point.value))
                self.combo.setCurrentIndex(max(0, i))
            self.combo.currentIndexChanged.connect(self._validate)
            form.addRow("New value", self.combo)
        else:
            self.edit = QLineEdit()
            self.edit.setPlaceholderText(f"{self._fmt(point.value, unit=False)}")
            self.edit.textChanged.connect(self._validate)
            form.addRow(f"New value ({point.unit})" if point.unit else "New value", self.edit)
        lay.addLayout(form)

        self.preview = QLabel("")
        self.preview.setFont(ui_font(14))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.preview)
        self.error_label = QLabel("")
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        lay.addWidget(self.error_label)
        self.reason_label = QLabel(self._reason or "")
        self.reason_label.setProperty("role", "reason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setVisible(self._reason is not None)
        lay.addWidget(self.reason_label)
        note = QLabel("The write is sent as one register (FC06), read back and journalled.")
        note.setProperty("role", "caption")
        note.setWordWrap(True)
        lay.addWidget(note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Send")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        if self._reason is not None:
            for w in (self.edit, self.combo):
                if w is not None:
                    w.setEnabled(False)
        self._validate()

    # --- API -----------------------------------------------------------------------------------
    @property
    def refusal(self) -> str | None:
        return self._reason

    def value(self) -> float | None:
        """The validated new value (None while invalid, unchanged or refused)."""
        return self._value

    def set_text(self, text: str) -> None:
        if self.edit is not None:
            self.edit.setText(text)

    def validation_error(self) -> str:
        return self.error_label.text()

    def accept(self) -> None:
        if self._reason is not None or self._value is None:
            return  # nothing to confirm: the button is disabled, Enter must not bypass it
        self.confirmed.emit(self._pv.name, self._value)
        super().accept()

    @classmethod
    def ask(
        cls,
        point: PointView,
        *,
        station_name: str = "",
        local_control: bool = False,
        parent: QWidget | None = None,
    ) -> float | None:
        """Show modally; the confirmed value or None."""
        dlg = cls(point, station_name=station_name, local_control=local_control, parent=parent)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None

    # --- internals -----------------------------------------------------------------------------
    def _fmt(self, v: float | None, unit: bool = True) -> str:
        if self._pv.enum and v is not None and not math.isnan(v):
            return dict(self._pv.enum).get(round(v), format_value(v, 0))
        text = format_value(v, self._decimals)
        return f"{text} {self._pv.unit}".rstrip() if unit and text != "—" else text

    def _quality_suffix(self) -> str:
        q = self._pv.quality
        return "" if q == Quality.GOOD else f"   [{colors.QUALITY_MARKER[q]}]"

    def _parse(self) -> tuple[float | None, str]:
        if self.combo is not None:
            return float(self.combo.currentData()), ""
        assert self.edit is not None
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            return None, ""
        try:
            v = float(text)
        except ValueError:
            return None, f"“{self.edit.text()}” is not a number."
        if not math.isfinite(v):
            return None, "Enter a finite number."
        return round(v, self._decimals), ""

    def _validate(self) -> None:
        self._value = None
        err = ""
        v, err = self._parse()
        pv = self._pv
        lo, hi = pv.write_min, pv.write_max
        if v is not None and lo is not None and hi is not None and not lo <= v <= hi:
            err = (
                f"{self._fmt(v)} is outside the allowed range {self._fmt(lo)} … {self._fmt(hi)}; "
                "the controller would reject it."
            )
            v = None
        known = v is not None and pv.value is not None and not math.isnan(pv.value)
        if known and round(pv.value, self._decimals) == v:  # type: ignore[arg-type]
            err = "This is the current value; nothing to send."
            v = None
        if self._reason is not None:
            v = None
        self._value = v
        self.error_label.setText(err)
        self.error_label.setVisible(bool(err))
        if self.edit is not None:
            self.edit.setProperty("invalid", "true" if err else "false")
            self.edit.style().unpolish(self.edit)
            self.edit.style().polish(self.edit)
        new = self._fmt(v) if v is not None else "?"
        self.preview.setText(f"{self._fmt(pv.value)}  →  {new}")
        self.ok_button.setEnabled(v is not None)
