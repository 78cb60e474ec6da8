"""The console: Qt-free core (live store, alarms, journal, service), CLI, and the Qt application."""
