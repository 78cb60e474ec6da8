"""Block-read planning: a station's points -> the fewest FC03 reads that never touch a hole.

Real controllers answer exception 02 to a read that touches any register they do not serve, so a
block is a run of served, contiguous registers of one read group (`block` in the template),
at most 125 registers long, never cutting a 32-bit point in half.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.points import PointTable

MAX_REGISTERS = 125


@dataclass(frozen=True)
class Block:
    start: int
    count: int
    group: str

    @property
    def end(self) -> int:
        return self.start + self.count


def plan_blocks(table: PointTable, max_registers: int = MAX_REGISTERS) -> list[Block]:
    """Reads covering every point of the table; sorted by address."""
    if not 1 <= max_registers <= MAX_REGISTERS:
        raise ValueError(f"max_registers must be 1..{MAX_REGISTERS}")
    order = np.argsort(table.address, kind="stable")
    blocks: list[Block] = []
    start = end = -1
    group = ""
    for i in order:
        a, w, g = int(table.address[i]), int(table.words[i]), table.block[i]
        if start >= 0 and g == group and a == end and a + w - start <= max_registers:
            end = a + w
            continue
        if start >= 0:
            blocks.append(Block(start, end - start, group))
        start, end, group = a, a + w, g
    if start >= 0:
        blocks.append(Block(start, end - start, group))
    return blocks


def points_in_blocks(table: PointTable, blocks: list[Block]) -> list[np.ndarray]:
    """For each block, the indices of the points it carries."""
    out = []
    for b in blocks:
        m = (table.address >= b.start) & (table.address + table.words <= b.end)
        out.append(np.nonzero(m)[0])
    return out
