"""Confirmation dialog for a write to an RW point: old → new, allowed range, refusal reasons.

It validates and returns the operator's confirmed value; it writes nothing itself. The caller
sends the write, shows the read-back and journals it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.quality import Quality
from console.vocabulary.views import PointView
from widgets.analog_indicator import format_value
from widgets.theme import ui_font
from widgets.words import enum_text, point_label, quality_marker, quality_text

CONTROL_LEVEL_POINT = "control_level"  # the one register a controller accepts in local control


def refusal_reason(pv: PointView, local_control: bool) -> str | None:
    """Why a write to this point must not be offered now (None = allowed)."""
    label = point_label(pv.name, pv.label)
    if not pv.writable:
        return QCoreApplication.translate("SetpointDialog", "{point} is read-only.").format(
            point=label
        )
    if pv.write_min is None or pv.write_max is None:
        return QCoreApplication.translate(
            "SetpointDialog",
            "No allowed range is configured for {point}; the console will not guess one.",
        ).format(point=label)
    if local_control and pv.name != CONTROL_LEVEL_POINT:
        return QCoreApplication.translate(
            "SetpointDialog",
            "The station is under LOCAL control: a field engineer holds it on site. "
            "The controller refuses remote writes until control is handed back to SCADA.",
        )
    if pv.quality != Quality.GOOD:
        return QCoreApplication.translate(
            "SetpointDialog",
            "The station's data is not good ({quality}): the present "
            "value is not known, so a change could not be checked or confirmed. "
            "Wait until the station reports good data.",
        ).format(quality=quality_text(pv.quality))
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
        self._station_name = station_name
        self._local = local_control
        self._reason = refusal_reason(point, local_control)
        self._fitted = -1  # the height _fit_height gave the dialog
        self.setModal(True)
        self.setMinimumWidth(420)

        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setFont(ui_font(12))
        lay.addWidget(self.title)
        sub = QLabel(point.name)
        sub.setProperty("role", "caption")
        lay.addWidget(sub)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        # Rows never shrink below one line: a wrapped message below must grow the dialog
        # instead of squeezing the rows over each other (_fit_height).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.old_label = QLabel()
        self.old_caption, self.range_caption, self.new_caption = QLabel(), QLabel(), QLabel()
        form.addRow(self.old_caption, self.old_label)
        self.range_label = QLabel()
        form.addRow(self.range_caption, self.range_label)

        self.combo: QComboBox | None = None
        self.edit: QLineEdit | None = None
        if point.enum:
            self.combo = QComboBox()
            for raw, _text in point.enum:
                self.combo.addItem("", raw)
            if point.value is not None and not math.isnan(point.value):
                i = self.combo.findData(round(point.value))
                self.combo.setCurrentIndex(max(0, i))
            self.combo.currentIndexChanged.connect(self._validate)
            form.addRow(self.new_caption, self.combo)
        else:
            self.edit = QLineEdit()
            self.edit.setPlaceholderText(f"{self._fmt(point.value, unit=False)}")
            self.edit.textChanged.connect(self._validate)
            form.addRow(self.new_caption, self.edit)
        lay.addLayout(form)

        self.preview = QLabel("")
        self.preview.setFont(ui_font(14))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.preview)
        self.error_label = QLabel("")
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        lay.addWidget(self.error_label)
        for row in (self.old_caption, self.old_label, self.range_caption, self.range_label):
            row.setMinimumHeight(row.fontMetrics().height())
            row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.reason_label = QLabel()
        self.reason_label.setProperty("role", "reason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setVisible(self._reason is not None)
        lay.addWidget(self.reason_label)
        self.note = QLabel()
        self.note.setProperty("role", "caption")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        lay.addStretch(1)  # room a message left behind goes above the buttons, not between rows

        # Cancel is Qt's (translated by qtbase); "Send" is ours: a standard Ok button would be
        # renamed back to "OK" by the button box itself on every language change.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        if self._reason is not None:
            for w in (self.edit, self.combo):
                if w is not None:
                    w.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the dialog in the current language (the typed value stays)."""
        pv = self._pv
        label = point_label(pv.name, pv.label)
        self.setWindowTitle(self.tr("Change {point}").format(point=label))
        self.title.setText(f"{self._station_name} — {label}" if self._station_name else label)
        self.old_caption.setText(self.tr("Current value"))
        self.range_caption.setText(self.tr("Allowed range"))
        self.new_caption.setText(
            self.tr("New value ({unit})").format(unit=pv.unit)
            if pv.unit and self.edit
            else self.tr("New value")
        )
        self.old_label.setText(self._fmt(pv.value) + self._quality_suffix())
        self.range_label.setText(
            f"{self._fmt(pv.write_min)} … {self._fmt(pv.write_max)}"
            if pv.write_min is not None and pv.write_max is not None
            else self.tr("not configured")
        )
        if self.combo is not None:
            for i, (raw, text) in enumerate(pv.enum):
                self.combo.setItemText(i, f"{enum_text(pv.name, raw, text)} ({raw})")
        self._reason = refusal_reason(pv, self._local)
        self.reason_label.setText(self._reason or "")
        self.note.setText(
            self.tr("The write is sent as one register (FC06), read back and journalled.")
        )
        self.ok_button.setText(self.tr("Send"))
        self._validate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fitted = self.height()  # Qt's first size is ours to fit, not the operator's
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()  # narrower: the messages wrap to more lines

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
            raw = round(v)
            return enum_text(self._pv.name, raw, dict(self._pv.enum).get(raw)) or format_value(v, 0)
        text = format_value(v, self._decimals)
        return f"{text} {self._pv.unit}".rstrip() if unit and text != "—" else text

    def _quality_suffix(self) -> str:
        q = self._pv.quality
        return "" if q == Quality.GOOD else f"   [{quality_marker(q)}]"

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
            return None, self.tr("“{text}” is not a number.").format(text=self.edit.text())
        if not math.isfinite(v):
            return None, self.tr("Enter a finite number.")
        return round(v, self._decimals), ""

    def _validate(self) -> None:
        self._value = None
        err = ""
        v, err = self._parse()
        pv = self._pv
        lo, hi = pv.write_min, pv.write_max
        if v is not None and lo is not None and hi is not None and not lo <= v <= hi:
            err = self.tr(
                "{value} is outside the allowed range {low} … {high}; "
                "the controller would reject it."
            ).format(value=self._fmt(v), low=self._fmt(lo), high=self._fmt(hi))
            v = None
        known = v is not None and pv.value is not None and not math.isnan(pv.value)
        if known and round(pv.value, self._decimals) == v:  # type: ignore[arg-type]
            err = self.tr("This is the current value; nothing to send.")
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
            # The invalid style's thicker border makes it taller: never below the full height.
            self.edit.setMinimumHeight(self.edit.sizeHint().height())
        new = self._fmt(v) if v is not None else "?"
        self.preview.setText(f"{self._fmt(pv.value)}  →  {new}")
        self.ok_button.setEnabled(v is not None)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow the dialog to the height its words need at its width. Qt sizes a window by
        its layout's minimum, which ignores that a wrapped message needs more lines: without
        this a two-line range error squeezed the input to a sliver and the rows over each other.
        """
        lay = self.layout()
        if lay is None or not self.isVisible():
            return
        lay.activate()
        need = max(lay.totalMinimumSize().height(), lay.totalHeightForWidth(self.width()))
        if self.minimumHeight() != need:
            self.setMinimumHeight(need)
        # Grow when the words need it; shrink back when they are gone, unless the operator
        # resized the dialog meanwhile.
        if self.height() < need or (self.height() == self._fitted and need != self._fitted):
            self.resize(self.width(), need)
        if self.height() == need:  # (a larger minimum alone also grows the window)
            self._fitted = need
