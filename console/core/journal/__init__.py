"""The offline-capable local journal: SQLite store, single batched writer, retention, query,
shift handover report and bundle export/import. No Qt."""
