"""Qt views: they show values, qualities and alarm states handed to them and emit the operator's
intent (acknowledge, shelve, write). No I/O here, and nothing of Modbus."""
