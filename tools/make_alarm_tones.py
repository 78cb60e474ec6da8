"""Write the annunciator's tones: resources/alarm.wav and resources/alarm_critical.wav.

Soft sine chimes with smooth attack/decay (no clicks, no square-wave buzz): a dispatcher hears
them all night. Each file holds one cadence including its pause, so looping it gives a steady
rhythm. The critical tone is higher, faster and repeats sooner, so it is told apart by ear.
Run: .venv/bin/python tools/make_alarm_tones.py
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "resources"


def chime(freq: float, dur: float, level: float = 0.35) -> np.ndarray:
    t = np.arange(int(RATE * dur)) / RATE
    # fundamental plus a soft octave gives a bell-like tone that carries without being harsh
    tone = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(2 * np.pi * 2 * freq * t)
    attack = np.minimum(1.0, t / 0.012)
    decay = np.exp(-t / (dur * 0.45))
    return level * tone * attack * decay / 1.25


def silence(dur: float) -> np.ndarray:
    return np.zeros(int(RATE * dur))


def write(path: Path, samples: np.ndarray) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main() -> None:
    OUT.mkdir(exist_ok=True)
    # Two descending notes (A5 → E5), then a pause: 2.2 s per cadence.
    normal = np.concatenate([chime(880, 0.35), chime(659.3, 0.5), silence(1.35)])
    # Three quick B5 pulses, then a shorter pause: 1.3 s per cadence.
    crit = np.concatenate([chime(987.8, 0.14, 0.45), silence(0.04)] * 3 + [silence(0.7)])
    write(OUT / "alarm.wav", normal)
    write(OUT / "alarm_critical.wav", crit)
    print("wrote", OUT / "alarm.wav", OUT / "alarm_critical.wav")


if __name__ == "__main__":
    main()
