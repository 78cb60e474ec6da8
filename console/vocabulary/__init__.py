"""The vocabulary floor: the words and plain records every layer of heatconsole shares.

Drivers, the core (alarm engine, journal, energy), the server, the remote console, the Qt
application and the widgets all import from here; this package imports nothing of theirs — only
the standard library, numpy and station_config (tests/console/vocabulary/test_layers.py holds
that line, and keeps widgets/ off console.core and drivers). What lives here:

- quality.py: Quality, CommState — how good a value is, whether a station answers;
- alarms.py: Priority (+ rank), AlarmState — ISA-18.2 words of the engine and the journal;
- journal.py: Kind — what a journal event is about;
- keys.py: PointKey `station/point`, AlarmKey `station/point/rule` — str subclasses, so the
  journal, MQTT and SQLite see the same bytes as before;
- views.py: the core-to-view contract (PointView, StationState, AlarmRow, KeyFigures, leak rows);
- metering.py: the metering report the energy core builds and the metering view shows;
- curve.py: the heating curve's register table.

Nothing here does I/O or keeps state; importing a module costs its definitions only (this file
imports none of them, so `console.vocabulary.quality` does not pull in the views).
"""
