"""Modbus RTU for the simulator: stations behind one serial line, served on a pseudo-terminal.

A field engineer's laptop talks RTU through a USB serial adapter; this serves the same
StationDevice rules (holes, FC06-only writes, local control…) over RTU framing so that the
console's serial path is tested end to end without hardware. Several units may share the line
(multidrop): a request for a unit nobody has gets no reply, as on a real RS-485 bus.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import termios
import tty
from dataclasses import dataclass

from drivers.simulator.modbus_server import StationDevice

log = logging.getLogger(__name__)


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc_table()


def crc16(data: bytes) -> int:
    """Modbus RTU CRC-16 (poly 0xA001, init 0xFFFF); sent low byte first."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ b) & 0xFF]
    return crc


def frame(unit: int, pdu: bytes) -> bytes:
    body = bytes((unit,)) + pdu
    return body + struct.pack("<H", crc16(body))


def request_length(buf: bytes | bytearray) -> int | None:
    """Length of the request frame at the start of `buf`, None if more bytes are needed.

    RTU has no length field; a master's request length follows from its function code.
    """
    if len(buf) < 2:
        return None
    fc = buf[1]
    if fc in (1, 2, 3, 4, 5, 6):
        return 8
    if fc in (15, 16):
        return None if len(buf) < 7 else 9 + buf[6]
    return 4  # unknown function: unit + fc + crc, answered with exception 01


@dataclass
class Pty:
    """A raw pseudo-terminal pair: the simulator serves `master`, a client opens `path`."""

    master: int
    slave: int  # kept open: when its last fd closes, reads on the master fail until reopened
    path: str

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def open_pty() -> Pty:
    master, slave = os.openpty()
    for fd in (master, slave):
        tty.setraw(fd)
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    os.set_blocking(master, False)
    return Pty(master, slave, os.ttyname(slave))


class RtuLine:
    """Serves the given devices (keyed by unit id) on a serial-line file descriptor."""

    def __init__(self, fd: int, devices: dict[int, StationDevice]) -> None:
        self.fd = fd
        self.devices = devices
        self._buf = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.frames = 0
        self.crc_errors = 0

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.fd, self._readable)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(self.fd)
            self._loop = None

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # the client side went away; wait for the next open
            return
        self._buf += data
        self._drain()

    def _drain(self) -> None:
        while True:
            n = request_length(self._buf)
            if n is None or len(self._buf) < n:
                return
            req, self._buf = bytes(self._buf[:n]), self._buf[n:]
            body, crc = req[:-2], struct.unpack("<H", req[-2:])[0]
            if crc16(body) != crc:
                # Line noise: a real slave stays silent; drop what we have and resync.
                self.crc_errors += 1
                self._buf.clear()
                return
            self.frames += 1
            unit, pdu = body[0], body[1:]
            device = self.devices.get(unit)
            if device is None or unit == 0:  # not ours, or broadcast: no reply
                continue
            reply = frame(unit, device.handle(unit, pdu))
            try:
                os.write(self.fd, reply)
            except OSError as e:
                log.warning("RTU line: cannot answer: %s", e)
