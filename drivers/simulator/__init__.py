"""The network simulator: physics behind a Modbus TCP server per station (demo and test peer)."""
