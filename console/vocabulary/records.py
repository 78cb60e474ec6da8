"""Frozen dataclasses built by the thousand.

A cold block rebuilds thousands of alarm views and rows per snapshot on the service thread
(every GIL hand-off of the GUI thread waits on that thread). `maker(cls, *fields)` gives a
constructor taking every field in declaration order: the very same kind of object (equality,
hash, repr, pickling are the dataclass's own), as fast to build as filling its `__dict__` at once
and without one: the fields go straight into the instance's own value storage.

Why not `obj.__dict__.update(...)`: asking for `__dict__` makes CPython (3.11+) create a dict
object for the instance, a second container the cyclic GC tracks and walks (its values again)
in every collection while it lives. Thousands of rows and views kept by the snapshot cache were
thousands of such dicts in each young collection after a build (bench/bench_snapshot.py).
"""

from __future__ import annotations

import dataclasses
import keyword
import types
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T], *order: str, skip_post_init: bool = False) -> Callable[..., T]:
    """A positional constructor of every field of the frozen dataclass `cls`, in `order`: the
    caller's field names, checked here against the class's (a field added, renamed or moved is
    a TypeError at import, never a value under the wrong name). A call missing a field is a
    TypeError, as for any function.

    Refuses a class that its own `__init__` must build (`__post_init__`: checks, derived
    fields), unless `skip_post_init`: its caller gives what `__post_init__` would make."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if hasattr(cls, "__post_init__") and not skip_post_init:
        raise TypeError(f"{cls.__name__} needs its own __init__ (__post_init__)")
    names = tuple(f.name for f in dataclasses.fields(cls))
    if order != names:
        raise TypeError(f"{cls.__name__} has the fields {names}, not {order}")
    if any(keyword.iskeyword(n) or not n.isidentifier() for n in names):
        raise TypeError(f"{cls.__name__} has a field that is no argument name")
    # One store per field, unrolled (as dataclasses writes its own __init__): the frozen
    # class's __setattr__ refuses, object's stores into the instance's inline values; a slotted
    # class's own slot descriptors store straight into their slots (no look-up of the name on
    # the type: a third faster than object.__setattr__ there, bench/bench_event_memory.py).
    args = ", ".join(names)
    scope: dict[str, Any] = {"new": object.__new__, "put": object.__setattr__, "cls": cls}
    slots = [vars(cls).get(n) for n in names]
    if all(isinstance(d, types.MemberDescriptorType) for d in slots):
        scope.update({f"put_{i}": d.__set__ for i, d in enumerate(slots)})  # type: ignore[union-attr]
        body = "".join(f"    put_{i}(obj, {n})\n" for i, n in enumerate(names))
    else:
        body = "".join(f"    put(obj, {n!r}, {n})\n" for n in names)
    src = f"def make({args}):\n    obj = new(cls)\n{body}    return obj\n"
    exec(src, scope)  # the source is built from the class's checked field names
    make = scope["make"]
    make.__doc__ = f"{cls.__name__}({', '.join(names)}), every field given in this order."
    make.__qualname__ = f"maker.<{cls.__name__}>"
    return make
