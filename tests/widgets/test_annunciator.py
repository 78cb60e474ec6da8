"""Annunciator: degrades to visual-only without audio, and keeps its logical state."""

from __future__ import annotations

import builtins
import wave

from console.core.events import Priority
from widgets import annunciator as ann
from widgets.annunciator import Annunciator


def test_tone_files_are_short_valid_wavs():
    for path in (ann.TONE_NORMAL, ann.TONE_CRITICAL):
        with wave.open(str(path)) as w:
            seconds = w.getnframes() / w.getframerate()
            assert w.getnchannels() == 1 and w.getsampwidth() == 2
            assert 0.5 < seconds < 3.0


def test_degrades_without_qtmultimedia(qapp, qtbot, monkeypatch):
    real_import = builtins.__import__

    def no_multimedia(name, *args, **kwargs):
        if name.startswith("PySide6.QtMultimedia"):
            raise ImportError("libpulse.so.0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_multimedia)
    a = Annunciator()
    assert not a.audio_available and a.visual_only
    assert "QtMultimedia unavailable" in a.degraded_reason
    with qtbot.waitSignal(a.sounding_changed) as sig:
        a.set_sounding(True, Priority.CRITICAL)  # must not raise
    assert sig.args == [True]
    assert a.sounding and a.priority == Priority.CRITICAL
    with qtbot.waitSignal(a.sounding_changed) as sig:
        a.silence()
    assert sig.args == [False] and not a.sounding and a.priority is None


def test_real_environment_never_crashes(qapp):
    # Offscreen CI has no audio device (often no audio stack at all): either way it works.
    a = Annunciator()
    a.set_sounding(True, Priority.MEDIUM)
    a.set_sounding(True, Priority.CRITICAL)  # switch tone
    a.silence()
    assert not a.sounding
    assert a.audio_available or a.degraded_reason


def test_no_signal_when_state_unchanged(qapp, qtbot):
    a = Annunciator()
    a.set_sounding(True, Priority.HIGH)
    with qtbot.assertNotEmitted(a.sounding_changed):
        a.set_sounding(True, Priority.HIGH)


def test_device_lookup_keeps_the_backends_warning_off_the_terminal(qapp, qtlog):
    """The audio backend's uncategorised warning ("PulseAudioService: pa_context_connect()
    failed" with no sound server) is not emitted; warnings after the lookup still are."""
    from PySide6.QtCore import qWarning

    class Backend:
        @staticmethod
        def audioOutputs():
            qWarning("PulseAudioService: pa_context_connect() failed")
            return []

    assert ann._audio_outputs(Backend) == []
    qWarning("after the lookup")
    said = [r.message for r in qtlog.records]
    assert said == ["after the lookup"]
