"""Which stations a server owns: a partition of one network, by district or station list.

Several servers each own a partition and publish into one namespace; consoles see one city.
`--partition north=district:jx,xg` names it `north`; without a name, the spec's own words do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station_config.schema import NetworkDef

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class PartitionError(ValueError):
    pass


@dataclass(frozen=True)
class Partition:
    name: str
    districts: tuple[str, ...] = ()
    stations: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str | None) -> Partition:
        """`all` (default), `district:a,b`, `stations:x,y`, each optionally `NAME=`-prefixed."""
        spec = (spec or "all").strip()
        name, sep, rest = spec.partition("=")
        if not sep:
            name, rest = "", spec
        kind, _, items = rest.partition(":")
        values = tuple(x.strip() for x in items.split(",") if x.strip())
        if kind == "all" and not items:
            part = cls(name or "all")
        elif kind in ("district", "districts") and values:
            part = cls(name or "-".join(values), districts=values)
        elif kind in ("station", "stations") and values:
            part = cls(name or f"stations-{values[0]}", stations=values)
        else:
            raise PartitionError(
                f"partition {spec!r}: use all, district:ID[,ID…] or stations:ID[,ID…] "
                "(optionally NAME= in front)"
            )
        if not _NAME.match(part.name):
            raise PartitionError(
                f"partition name {part.name!r}: lower-case letters, digits, '-' and '_' only"
            )
        return part

    def select(self, net: NetworkDef) -> NetworkDef:
        """The network restricted to this partition's stations (districts, trunks and sources
        stay whole: the schematic draws the whole city around them)."""
        if not self.districts and not self.stations:
            return net
        known_d = {d.id for d in net.districts}
        known_s = {s.id for s in net.stations}
        bad = [d for d in self.districts if d not in known_d]
        bad += [s for s in self.stations if s not in known_s]
        if bad:
            raise PartitionError(f"partition {self.name}: not in the network: {', '.join(bad)}")
        # A station's expected identity defaults to its position in the whole network file
        # (drivers.poller.expected_identity): pinned here, or a partition would renumber it.
        keep = [
            s if s.station_no is not None else s.model_copy(update={"station_no": i + 1})
            for i, s in enumerate(net.stations)
            if s.district in self.districts or s.id in self.stations
        ]
        if not keep:
            raise PartitionError(f"partition {self.name}: no station in it")
        return net.model_copy(update={"stations": keep})
