"""Leak detection by the secondary loop's water balance (balance.py) and the district view of
suspected leaks (view.py). Qt-free; the alarm engine runs the detector on every batch."""

from console.core.leak.balance import LeakDetector, LeakInputs, station_volumes

__all__ = ["LeakDetector", "LeakInputs", "station_volumes"]
