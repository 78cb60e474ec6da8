"""Running a control room on one machine: our own broker, database and certificates (for
`heatconsole control-room demo` and the tests)."""
