"""The console's Qt-free core: live store, alarm engine, journal, history and the service."""
