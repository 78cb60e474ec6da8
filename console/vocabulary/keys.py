"""Point and alarm keys: `station/point` and `station/point/rule`.

A key *is* its text: `PointKey` and `AlarmKey` are `str` subclasses, so a key goes into the
journal, an MQTT topic or payload, a JSON file or an SQLite row byte for byte as the plain string
always did, compares and hashes equal to that string (dicts keyed by old strings find it), and
costs nothing to pass around. What the type adds is one checked way in (`parse`, `of`) and
named parts (`.station`, `.point`, `.rule`) instead of `split("/")` at every use.

No part may be empty or contain "/": the configuration already forbids it (station ids match
`[a-z0-9][a-z0-9_-]*`, point names `[a-z][a-z0-9_]*`; room points are `room_temp[17]`, the
station-wide pseudo point is `station`), so a text with another number of "/" is not a key of
this network and `parse` refuses it with `KeyTextError` (a ValueError) naming the text.
"""

from __future__ import annotations

from typing import ClassVar, Self

SEP = "/"


class KeyTextError(ValueError):
    """A text that is not a key of the expected shape; the message names the text and shape."""


class _Key(str):
    __slots__ = ()
    _shape: ClassVar[str]  # "station/point" or "station/point/rule", for messages
    _seps: ClassVar[int]  # how many "/" the text holds

    def __new__(cls, text: object) -> Self:
        if type(text) is cls:
            return text
        if not isinstance(text, str):
            raise KeyTextError(f"{cls.__name__} must be text `{cls._shape}`, not {text!r}")
        # Exactly `_seps` separators (so the text is not empty) and no empty part: no "//" and
        # no "/" at either end.
        if text.count(SEP) != cls._seps or text[0] == SEP or text[-1] == SEP or "//" in text:
            raise KeyTextError(f"{cls.__name__} {text!r} is not `{cls._shape}`")
        return str.__new__(cls, text)

    parse = classmethod(__new__)  # AlarmKey.parse(text) reads as what it does

    @classmethod
    def try_parse(cls, text: object) -> Self | None:
        """The key, or None for a text of another shape (settings, replies from elsewhere)."""
        try:
            return cls(text)
        except KeyTextError:
            return None

    @classmethod
    def _bad_part(cls, parts: tuple[str, ...]) -> KeyTextError:
        for name, part in zip(cls._shape.split(SEP), parts, strict=True):
            if not isinstance(part, str) or not part or SEP in part:
                return KeyTextError(f"{cls.__name__}: {name} {part!r} is empty or holds {SEP!r}")
        return KeyTextError(f"{cls.__name__}: bad parts {parts!r}")  # of() asks only if one is

    @property
    def station(self) -> str:
        return self[: self.find(SEP)]

    def __getnewargs__(self) -> tuple[str]:  # pickle/deepcopy: rebuilt from the plain text
        return (str(self),)


class PointKey(_Key):
    """`station/point`: one live value (a trend curve, a trend query)."""

    __slots__ = ()
    _shape = "station/point"
    _seps = 1

    @classmethod
    def of(cls, station: str, point: str) -> PointKey:
        text = f"{station}/{point}"
        if not station or not point or text.count(SEP) != 1:
            raise cls._bad_part((station, point))
        return str.__new__(cls, text)

    @property
    def point(self) -> str:
        return self[self.find(SEP) + 1 :]

    @property
    def parts(self) -> tuple[str, str]:
        s, p = self.split(SEP)
        return s, p


class AlarmKey(_Key):
    """`station/point/rule`: one alarm (or, with point `rooms`, a station's room-alarm group)."""

    __slots__ = ()
    _shape = "station/point/rule"
    _seps = 2

    @classmethod
    def of(cls, station: str, point: str, rule: str) -> AlarmKey:
        """The key of parts (the engine builds every alarm's key here: kept cheap)."""
        text = f"{station}/{point}/{rule}"
        if not station or not point or not rule or text.count(SEP) != 2:
            raise cls._bad_part((station, point, rule))
        return str.__new__(cls, text)

    @property
    def point(self) -> str:
        return self[self.find(SEP) + 1 : self.rfind(SEP)]

    @property
    def rule(self) -> str:
        return self[self.rfind(SEP) + 1 :]

    @property
    def parts(self) -> tuple[str, str, str]:
        s, p, r = self.split(SEP)
        return s, p, r

    @property
    def point_key(self) -> PointKey:
        """The `station/point` the alarm watches."""
        return str.__new__(PointKey, self[: self.rfind(SEP)])
