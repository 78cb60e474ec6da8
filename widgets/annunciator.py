"""Audible annunciation: loops a short tone while alarms want sound, until silenced.

QtMultimedia is optional at run time: on a machine without an audio stack (offscreen CI, a
server without PulseAudio, a laptop with no output device) the import or the device lookup
fails. The console must keep running, so the annunciator then degrades to *visual only* and
says so (`audio_available`, `degraded_reason`, `audio_available_changed`); the logical
`sounding` state still follows `set_sounding()` so the banner can show "would be sounding".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLoggingCategory, QObject, QtMsgType, QUrl, Signal

from console.vocabulary.alarms import Priority
from resources import RESOURCES_DIR

log = logging.getLogger(__name__)

RESOURCES = RESOURCES_DIR
TONE_NORMAL = RESOURCES / "alarm.wav"
TONE_CRITICAL = RESOURCES / "alarm_critical.wav"

_LOOP_FOREVER = -2  # QSoundEffect.Loop.Infinite


def _audio_outputs(media_devices) -> list:
    """The output devices, without the backend's uncategorised warning on stderr
    ("PulseAudioService: pa_context_connect() failed" on a machine with no sound server): the
    console says it in the operator's language (`degraded_reason`, the banner)."""
    default = QLoggingCategory.defaultCategory()
    was = default.isWarningEnabled()
    default.setEnabled(QtMsgType.QtWarningMsg, False)
    try:
        return media_devices.audioOutputs()
    finally:
        default.setEnabled(QtMsgType.QtWarningMsg, was)


class Annunciator(QObject):
    """Loops `alarm.wav` (or `alarm_critical.wav` for critical) while sounding."""

    sounding_changed = Signal(bool)
    audio_available_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, volume: float = 0.6) -> None:
        super().__init__(parent)
        self._sounding = False
        self._priority: Priority | None = None
        self._available = False
        self.degraded_reason = ""
        self._effects: dict[str, object] = {}
        self._volume = volume
        self._init_audio()

    # ---- setup --------------------------------------------------------------------------------

    def _init_audio(self) -> None:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # e.g. libpulse missing: no audio stack at all
            self._degrade(f"QtMultimedia unavailable ({exc})")
            return
        try:
            if not _audio_outputs(QMediaDevices):
                self._degrade("no audio output device")
                return
            for name, path in (("normal", TONE_NORMAL), ("critical", TONE_CRITICAL)):
                if not path.exists():
                    continue
                eff = QSoundEffect(self)
                eff.setSource(QUrl.fromLocalFile(str(path)))
                eff.setLoopCount(_LOOP_FOREVER)
                eff.setVolume(self._volume)
                eff.statusChanged.connect(self._check_status)
                self._effects[name] = eff
        except Exception as exc:  # any backend failure must leave a working console
            self._degrade(f"audio backend failed ({exc})")
            return
        if not self._effects:
            self._degrade(f"alarm sound files missing in {RESOURCES}")
            return
        self._available = True

    def _check_status(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if any(e.status() == QSoundEffect.Status.Error for e in self._effects.values()):
            self._stop_all()
            self._degrade("alarm sound could not be loaded or played")

    def _degrade(self, reason: str) -> None:
        self.degraded_reason = reason
        was = self._available
        self._available = False
        log.warning("alarm sound disabled, visual alarms only: %s", reason)
        if was:
            self.audio_available_changed.emit(False)

    # ---- API ----------------------------------------------------------------------------------

    @property
    def audio_available(self) -> bool:
        return self._available

    @property
    def visual_only(self) -> bool:
        return not self._available

    @property
    def sounding(self) -> bool:
        """Whether alarms want sound now (true even when there is no device to play it)."""
        return self._sounding

    @property
    def priority(self) -> Priority | None:
        return self._priority if self._sounding else None

    def set_sounding(self, on: bool, priority: Priority | None = None) -> None:
        """Start (or switch tone) / stop the loop. Critical gets its own, more urgent tone."""
        tone = "critical" if priority == Priority.CRITICAL else "normal"
        changed = on != self._sounding
        tone_changed = on and priority != self._priority
        self._sounding = on
        self._priority = priority if on else None
        if self._available and (changed or tone_changed):
            self._stop_all()
            if on:
                eff = self._effects.get(tone) or next(iter(self._effects.values()))
                eff.play()
        if changed:
            self.sounding_changed.emit(on)

    def silence(self) -> None:
        """Silence is not acknowledge: the alarms stay unacked, only the sound stops."""
        self.set_sounding(False)

    def _stop_all(self) -> None:
        for e in self._effects.values():
            e.stop()
