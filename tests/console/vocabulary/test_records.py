"""maker(cls) builds the same frozen dataclass as its own __init__ (without a materialized
instance dict the cyclic GC would track), or refuses the class."""

from __future__ import annotations

import dataclasses
import gc
import pickle

import pytest

from console.core.alarms.summary import AlarmView
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.records import maker
from console.vocabulary.views import AlarmRow


def _values(cls: type) -> list[object]:
    """A distinct value per field, of a plausible type."""
    out: list[object] = []
    for i, f in enumerate(dataclasses.fields(cls)):
        t = str(f.type)
        if "Priority" in t:
            out.append(Priority.HIGH)
        elif "AlarmState" in t:
            out.append(AlarmState.RTN_UNACK)
        elif "tuple" in t:
            out.append(())
        elif t.startswith("bool"):
            out.append(i % 2 == 0)
        elif "float" in t:
            out.append(float(i) + 0.5)
        else:
            out.append(f"{f.name}-{i}")
    return out


@pytest.mark.parametrize("cls", [AlarmView, AlarmRow])
def test_same_object_as_the_dataclass_builds(cls: type) -> None:
    values = _values(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    fast, slow = maker(cls, *names)(*values), cls(*values)
    assert type(fast) is cls and fast == slow and hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert dataclasses.astuple(fast) == tuple(values)
    assert pickle.loads(pickle.dumps(fast)) == slow
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.key = "x"  # type: ignore[misc]
    assert dataclasses.replace(fast, key="other").key == "other"


@pytest.mark.parametrize("cls", [AlarmView, AlarmRow])
def test_one_gc_tracked_object_per_record(cls: type) -> None:
    """The fields live in the instance itself: no dict object beside it for the GC to walk."""
    values = _values(cls)
    fast = maker(cls, *[f.name for f in dataclasses.fields(cls)])(*values)
    referents = gc.get_referents(fast)
    assert not any(type(r) is dict for r in referents)
    assert set(map(id, values)) <= set(map(id, referents))


def test_builds_a_slotted_frozen_dataclass() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        x: int
        y: str

    made = maker(Slotted, "x", "y")(3, "a")
    assert type(made) is Slotted and made == Slotted(3, "a")


def test_every_field_must_be_given_in_the_classs_order() -> None:
    names = [f.name for f in dataclasses.fields(AlarmView)]
    with pytest.raises(TypeError):
        maker(AlarmView, *names)(*_values(AlarmView)[:-1])
    with pytest.raises(TypeError, match="fields"):
        maker(AlarmView, *names[1::-1], *names[2:])  # two swapped
    with pytest.raises(TypeError, match="fields"):
        maker(AlarmView, *names[:-1])  # one left out


def test_refuses_a_class_its_init_must_build() -> None:
    @dataclasses.dataclass(frozen=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative")

    @dataclasses.dataclass
    class Mutable:
        x: int

    for cls in (Checked, Mutable, int):
        with pytest.raises(TypeError):
            maker(cls, "x")
