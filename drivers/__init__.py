"""Field-side code with no Qt: register codec, read planner, Modbus poller, network simulator."""
