"""District-heating network physics for the simulator, vectorised over every station and room.

One `NetworkPhysics` (network.py) holds the whole city as flat numpy arrays; its behaviour is
spread over modules by concern:

- design.py     physical constants, design basis and sizing factors, writable settings, points
- weather.py    outdoor temperature: daily cycle, district offsets, cold waves
- station.py    the substation's pieces: curve setpoint, valve and hydraulics, exchanger,
                radiators, pumps, plant supply temperature after the transport delay
- network.py    the state object: sizing from the network file, integration, initial settle
- registers.py  the register image every Modbus device serves
- events.py     scenario events and register writes

Everything importable from `drivers.simulator.physics` before the split still is.
"""

from drivers.simulator.physics.design import *  # noqa: F403
from drivers.simulator.physics.design import __all__ as _design_all
from drivers.simulator.physics.events import INVERSE_EVENTS, parse_duration
from drivers.simulator.physics.network import NetworkPhysics
from drivers.simulator.physics.weather import ColdWave, daily_shape

__all__ = [
    *_design_all,
    "INVERSE_EVENTS",
    "ColdWave",
    "NetworkPhysics",
    "daily_shape",
    "parse_duration",
]
