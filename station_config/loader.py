"""Read a network YAML file (and the templates it names) into a validated NetworkDef.

Every problem found is collected and reported at once as `file:line: yaml.path: reason`, so a
field engineer fixes a file in one pass. Never raises anything but ConfigError for bad input:
unreadable files, non-UTF-8 bytes, YAML syntax errors, wrong shapes and types, unknown fields and
references, duplicates and overlapping addresses all become Problems.
"""

from __future__ import annotations

import contextlib
import difflib
import ipaddress
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from station_config.schema import (
    District,
    HeatSource,
    NetworkDef,
    PointDef,
    StationDef,
    TemplateDef,
    TrunkLine,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_CONFIG = PACKAGE_DIR / "demo.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# libyaml is ~10× faster than the pure-Python parser: it matters for a 757-station file.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YamlPath = tuple[str | int, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based
    path: str  # YAML path, e.g. stations[3].port
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top)'}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(path: YamlPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Unreadable(Exception):
    """The file could not be turned into YAML data; carries the line when one is known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


class YamlDoc:
    """A parsed YAML document plus the line of every node, for error messages."""

    def __init__(self, file: Path):
        self.file = file
        self.lines: dict[YamlPath, int] = {}
        self.problems: list[Problem] = []  # found while indexing (duplicate keys)
        text = _read_text(file)
        # Compose once and construct from the same node tree: one parse gives data and lines.
        loader = _Loader(text)
        try:
            try:
                node = loader.get_single_node()
                self.data: Any = loader.construct_document(node) if node is not None else None
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                reason = e.problem or str(e)
                if e.context and e.context_mark is not None:
                    reason += f" ({e.context} at line {e.context_mark.line + 1})"
                line = mark.line + 1 if mark else None
                raise _Unreadable(f"not valid YAML: {reason}", line) from None
            except yaml.reader.ReaderError as e:
                raise _Unreadable(*_reader_error(text, e)) from None
            except yaml.YAMLError as e:
                raise _Unreadable(f"not valid YAML: {e}") from None
        finally:
            loader.dispose()
        if node is not None:
            self._index(node, (), set())

    def _index(self, node: yaml.Node, path: YamlPath, seen: set[int]) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        # An aliased node is indexed once: "billion laughs" documents stay linear.
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in node.value:
                if k.tag == _MERGE_TAG or not isinstance(k, yaml.ScalarNode):
                    continue
                line = k.start_mark.line + 1
                if k.value in first:
                    self.problems.append(
                        self.problem(
                            (*path, k.value),
                            f"duplicate key `{k.value}` (first at line {first[k.value]}); "
                            "remove one",
                            line=line,
                        )
                    )
                    continue
                first[k.value] = line
                keys: list[str | int] = [k.value]
                if k.tag == _INT_TAG:  # `enum: {0: manual}` keys are ints in the data
                    with contextlib.suppress(ValueError):
                        keys.append(int(k.value, 0))
                for key in keys:
                    self.lines[(*path, key)] = line
                    self._index(v, (*path, key), seen)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._index(v, (*path, i), seen)

    def line(self, path: YamlPath) -> int | None:
        # The deepest known ancestor's line (a missing field points at its parent).
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def problem(self, path: YamlPath, message: str, line: int | None = None) -> Problem:
        return Problem(str(self.file), line or self.line(path), format_path(path), message)


def _read_text(file: Path) -> str:
    if file.is_dir():
        raise _Unreadable("is a directory, not a YAML file")
    if file.exists() and not file.is_file():
        raise _Unreadable("is not a regular file")
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _Unreadable(
            f"not UTF-8 text (byte 0x{raw[e.start]:02x} cannot be decoded); save the file as UTF-8",
            line,
        ) from None


def _reader_error(text: str, e: yaml.reader.ReaderError) -> tuple[str, int | None]:
    ch = chr(e.character) if isinstance(e.character, int) else str(e.character)
    pos = text.find(ch)
    line = text.count("\n", 0, pos) + 1 if pos >= 0 else None
    code = ord(ch[:1] or " ")
    return f"character U+{code:04X} is not allowed in YAML (is this a text file?)", line


def _read(file: Path, problems: list[Problem]) -> YamlDoc | None:
    try:
        doc = YamlDoc(file)
    except _Unreadable as e:
        problems.append(Problem(str(file), e.line, "", e.reason))
    except FileNotFoundError:
        problems.append(Problem(str(file), None, "", "file not found"))
    except PermissionError:
        problems.append(Problem(str(file), None, "", "permission denied"))
    except OSError as e:
        problems.append(Problem(str(file), None, "", f"cannot read file: {e.strerror or e}"))
    except RecursionError:
        problems.append(Problem(str(file), None, "", "YAML nested too deeply"))
    else:
        problems.extend(doc.problems)
        return doc
    return None


# --- pydantic errors -> plain problems ------------------------------------------------------


def _model_at(root: type[BaseModel], loc: YamlPath) -> type[BaseModel] | None:
    """The model class that holds the last element of `loc` (for "did you mean" hints)."""
    t: Any = root
    for part in loc[:-1]:
        t = _unwrap(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            f = t.model_fields.get(part) if isinstance(part, str) else None
            if f is None:
                return None
            t = f.annotation
        elif get_origin(t) in (list, tuple) and isinstance(part, int):
            t = get_args(t)[0]
        elif get_origin(t) is dict:
            t = get_args(t)[1]
        else:
            return None
    t = _unwrap(t)
    return t if isinstance(t, type) and issubclass(t, BaseModel) else None


def _unwrap(t: Any) -> Any:
    if get_origin(t) in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        return args[0] if len(args) == 1 else t
    return t


def _got(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    text = repr(value)
    return f" (got {text[:60]}{'…' if len(text) > 60 else ''})"


def _pydantic_problems(
    doc: YamlDoc, err: ValidationError, root: type[BaseModel], base: YamlPath = ()
) -> list[Problem]:
    out = []
    for e in err.errors():
        loc: YamlPath = tuple(
            p for p in e["loc"] if not isinstance(p, str) or not p.startswith("function-")
        )
        kind = e["type"]
        msg = e["msg"].removeprefix("Value error, ")
        if kind == "missing":
            msg = f"missing field `{loc[-1]}`" if loc else msg
        elif kind == "extra_forbidden":
            msg = f"unknown field `{loc[-1]}`"
            model = _model_at(root, loc)
            if model is not None:
                close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
                msg += f" — did you mean `{close[0]}`?" if close else ""
        elif kind == "invalid_key":
            # `{period_s: 5,0}` in flow style reads as `period_s: 5` plus a key `0`.
            loc, msg = _comma_key(doc, base, loc)
        elif kind == "value_error" and isinstance(e.get("input"), dict):
            # A whole-model rule ("max 70000 does not fit type u16"): point at the field it names.
            first = msg.split(" ", 1)[0].strip("`")
            if first in e["input"]:
                loc = (*loc, first)
        else:
            msg = msg.replace("Input should be", "should be") + _got(e.get("input"))
            if isinstance(e.get("input"), str) and _DECIMAL_COMMA.match(e["input"]):
                msg += f" — a decimal comma? write {e['input'].replace(',', '.')}"
        out.append(doc.problem((*base, *loc), msg))
    return out


_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")


def _comma_key(doc: YamlDoc, base: YamlPath, loc: YamlPath) -> tuple[YamlPath, str]:
    """Where and what a non-text key most likely is: the decimals of the number before it,
    split off by a decimal comma (`period_s: 5,0` inside `{…}`)."""
    key = loc[-1]
    parent: Any = doc.data
    for p in (*base, *loc[:-1]):
        try:
            parent = parent[p]
        except (KeyError, IndexError, TypeError):
            parent = None
            break
    keys = list(parent) if isinstance(parent, dict) else []
    i = keys.index(key) if key in keys else 0
    prev = keys[i - 1] if i > 0 else None
    if isinstance(prev, str) and isinstance(parent[prev], int | float):
        return (*loc[:-1], prev), (
            f"`{prev}: {parent[prev]},{key}` has a decimal comma, which splits it into two "
            f"entries inside {{…}} (`{prev}: {parent[prev]}` and a key `{key}`) — "
            f"write `{prev}: {parent[prev]}.{key}`"
        )
    return loc, f"`{key}` is not a field name (field names are words)"


# --- templates ------------------------------------------------------------------------------


# A device template is a few KiB (substation-v1: 8 KiB); a file far past this is not one.
MAX_TEMPLATE_BYTES = 1 << 20
# A line that starts a template's top level: what makes a file recognisably a template, so that
# its YAML errors may quote it. A file without one is foreign (`templates: [/etc/shadow]`).
_TEMPLATE_KEY = re.compile(rb"^template[ \t]*:", re.MULTILINE)
_NO_KEY = "no top-level `template:` key"


def _not_a_template(file: Path, reason: str, line: int | None = None) -> Problem:
    """A problem that names the file and why it is no template, quoting none of its content."""
    return Problem(
        str(file),
        line,
        "",
        f"not a heatconsole device template: {reason} (a template is a YAML mapping with "
        "`template:` and `points:`)",
    )


def _foreign_file_reason(file: Path) -> str | None:
    """Why `file` cannot be a template, judged by its size and bytes alone (None: it may be)."""
    try:
        if not file.is_file():
            return None  # a directory, a device, a missing file: the reader says which
        size = file.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            return f"{size:,} bytes, more than a template's limit of {MAX_TEMPLATE_BYTES:,}"
        raw = file.read_bytes()
    except OSError:
        return None  # reported by the reader with its reason
    if b"\0" in raw:
        return "binary data (it contains NUL bytes)"
    if raw.strip() and not _TEMPLATE_KEY.search(raw.removeprefix(b"\xef\xbb\xbf")):
        return _NO_KEY
    return None


def load_template(file: Path, problems: list[Problem]) -> TemplateDef | None:
    """A validated template, or None with its problems appended.

    A file that is not recognisably a template (too big, binary, no top-level `template:` key,
    not a mapping) is one problem naming the file and the reason, never a list of its lines:
    a network file could name any readable file, and check-config must not print it.
    """
    foreign = _foreign_file_reason(file)
    if foreign not in (None, _NO_KEY):  # too big or binary: not even parsed
        problems.append(_not_a_template(file, foreign))
        return None
    own: list[Problem] = []
    doc = _read(file, own)
    if foreign == _NO_KEY:  # say what the file is instead, when that is known
        if doc is None:
            foreign = "not valid YAML text"
        elif isinstance(doc.data, list):
            foreign = "its top level is a list, not a mapping"
        elif doc.data is not None and not isinstance(doc.data, dict):
            foreign = "its top level is a single value, not a mapping"
    if foreign is not None:
        problems.append(_not_a_template(file, foreign, own[0].line if own else None))
        return None
    problems.extend(own)
    if doc is None:
        return None
    if doc.data is None:
        problems.append(doc.problem((), "the template file is empty"))
        return None
    if not isinstance(doc.data, dict) or "template" not in doc.data:
        problems.append(_not_a_template(file, _NO_KEY))
        return None
    try:
        tpl = TemplateDef.model_validate(doc.data)
    except ValidationError as e:
        problems.extend(_pydantic_problems(doc, e, TemplateDef))
        # Still check names and addresses of the points that are valid on their own.
        raw = doc.data.get("points")
        points: list[tuple[int, PointDef]] = []
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            with contextlib.suppress(ValidationError):
                points.append((i, PointDef.model_validate(item)))
        problems.extend(_check_points(doc, points))
        return None
    problems.extend(check_template(doc, tpl))
    return tpl


def check_template(doc: YamlDoc, tpl: TemplateDef) -> list[Problem]:
    """Cross-point rules pydantic cannot see: unique names, no overlapping registers."""
    out = _check_points(doc, list(enumerate(tpl.points)))
    names = {p.name for p in tpl.points}
    if tpl.word_order_point is not None:
        if tpl.word_order_point not in names:
            out.append(
                doc.problem(("word_order_point",), f"no point named `{tpl.word_order_point}`")
            )
        elif tpl.point(tpl.word_order_point).words != 1:
            out.append(
                doc.problem(("word_order_point",), "the word-order point must be one register")
            )
    elif any(p.word_order == "dynamic" for p in tpl.points):
        out.append(
            doc.problem(("word_order_point",), "dynamic word order needs `word_order_point`")
        )
    return out


def _check_points(doc: YamlDoc, points: list[tuple[int, PointDef]]) -> list[Problem]:
    out = []
    seen_names: dict[str, int] = {}
    owner: dict[int, tuple[int, str]] = {}
    for i, p in points:
        if p.name in seen_names:
            j = seen_names[p.name]
            out.append(
                doc.problem(
                    ("points", i, "name"),
                    f"duplicate point name `{p.name}` (first at points[{j}], "
                    f"line {doc.line(('points', j))})",
                )
            )
        seen_names.setdefault(p.name, i)
        for a in range(p.address, p.address + p.span):
            if a in owner:
                j, other = owner[a]
                out.append(
                    doc.problem(
                        ("points", i, "address"),
                        f"`{p.name}` (registers {p.address}–{p.address + p.span - 1}) overlaps "
                        f"`{other}` (points[{j}]) at register {a}",
                    )
                )
                break
            owner[a] = (i, p.name)
    return out


def _template_candidates(net_file: Path, rel: str) -> list[Path]:
    """Where a template path may live: beside the network file, then inside the package
    (so a generated file written to /tmp still finds the built-in `templates/…`)."""
    out = [net_file.parent / rel, PACKAGE_DIR / rel, TEMPLATES_DIR / Path(rel).name]
    return list(dict.fromkeys(out))


@dataclass
class _Templates:
    by_id: dict[str, TemplateDef] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)  # template id -> templates[i]
    failed: set[str] = field(default_factory=set)  # ids (or file stems) that did not load


def _load_templates(doc: YamlDoc, tpl_files: Any, problems: list[Problem]) -> _Templates:
    out = _Templates()
    if tpl_files is None:
        tpl_files = []
    if not isinstance(tpl_files, list):
        problems.append(doc.problem(("templates",), "must be a list of template file paths"))
        return out
    for i, rel in enumerate(tpl_files):
        if not isinstance(rel, str) or not rel.strip():
            problems.append(doc.problem(("templates", i), f"must be a file path{_got(rel)}"))
            continue
        candidates = _template_candidates(doc.file, rel)
        tfile = next((c for c in candidates if c.exists()), None)
        if tfile is None:
            out.failed.add(Path(rel).stem)
            problems.append(
                doc.problem(
                    ("templates", i),
                    f"template file `{rel}` not found (looked beside this file and in the "
                    f"built-in templates, {TEMPLATES_DIR})",
                )
            )
            continue
        n_before = len(problems)
        tpl = load_template(tfile.resolve(), problems)
        if tpl is None:
            out.failed.add(Path(rel).stem)
            out.failed.update(_raw_template_id(tfile))
            if len(problems) == n_before:
                problems.append(doc.problem(("templates", i), f"cannot load template {rel}"))
            continue
        if tpl.template in out.by_id:
            problems.append(
                doc.problem(
                    ("templates", i),
                    f"template `{tpl.template}` is defined twice "
                    f"(first at templates[{out.index[tpl.template]}])",
                )
            )
            continue
        out.by_id[tpl.template] = tpl
        out.index[tpl.template] = i
    return out


def _raw_template_id(file: Path) -> set[str]:
    """The `template:` id of a template file that failed validation, to avoid follow-on
    "unknown template" errors on every station that uses it."""
    # Only a regular file: opening a FIFO blocks for ever, /dev/zero reads until memory runs out.
    if not file.is_file() or _foreign_file_reason(file) is not None:
        return set()
    try:
        data = yaml.load(file.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except Exception:  # the file's own problem is already reported
        return set()
    tid = data.get("template") if isinstance(data, dict) else None
    return {tid} if isinstance(tid, str) else set()


# --- the network ----------------------------------------------------------------------------


def load_network(path: str | Path) -> NetworkDef:
    """Load and validate a network file; raise ConfigError listing every problem."""
    file = Path(path)
    problems: list[Problem] = []
    doc = _read(file, problems)
    if doc is None:
        raise ConfigError(problems)
    data = doc.data
    if data is None:
        raise ConfigError([doc.problem((), "the file is empty; expected a network mapping")])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ConfigError(
            [doc.problem((), f"a network file must be a mapping (name, stations, …), not {kind}")]
        )
    data = dict(data)
    templates = _load_templates(doc, data.pop("templates", []), problems)

    net: NetworkDef | None = None
    try:
        net = NetworkDef.model_validate({**data, "templates": templates.by_id})
    except ValidationError as e:
        problems.extend(_pydantic_problems(doc, e, NetworkDef))
    problems.extend(check_network(doc, data, net, templates))
    if problems:
        raise ConfigError(_ordered(problems, doc.file))
    assert net is not None  # no problems means validation passed
    fc = net.forecast
    if fc is not None and fc.folder is not None and not Path(fc.folder).expanduser().is_absolute():
        folder = str(doc.file.parent / fc.folder)  # relative to the network file, not the cwd
        net = net.model_copy(update={"forecast": fc.model_copy(update={"folder": folder})})
    return net


def _ordered(problems: list[Problem], main: Path) -> list[Problem]:
    """The network file's problems first, each file by line; exact repeats dropped."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file != str(main), p.file, p.line or 0))


def _items(
    data: dict[str, Any], net: NetworkDef | None, key: str, model: type[BaseModel]
) -> list[tuple[int, dict[str, Any], BaseModel | None]]:
    """(index, raw mapping, validated model or None) for a list section; models of items that
    are valid on their own even when another part of the file is broken, so cross-checks
    still run over everything that can be checked."""
    raw = data.get(key)
    if not isinstance(raw, list):
        return []
    valid = getattr(net, key) if net is not None else None
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        if valid is not None:
            m: BaseModel | None = valid[i]
        else:
            try:
                m = model.model_validate(item)
            except ValidationError:
                m = None  # its problems are already reported by the whole-file validation
        out.append((i, item, m))
    return out


def check_network(
    doc: YamlDoc, data: dict[str, Any], net: NetworkDef | None, templates: _Templates
) -> list[Problem]:
    """References and uniqueness across the whole network (over raw data where a section did
    not validate, so one bad field does not hide the file's other problems)."""
    out: list[Problem] = []

    def unique_ids(kind: str, items: list[tuple[int, dict[str, Any], Any]]) -> set[str]:
        seen: dict[str, int] = {}
        for i, raw, _m in items:
            sid = raw.get("id")
            if not isinstance(sid, str):
                continue
            if sid in seen:
                j = seen[sid]
                out.append(
                    doc.problem(
                        (kind, i, "id"),
                        f"duplicate id `{sid}` (first at {kind}[{j}], line {doc.line((kind, j))})",
                    )
                )
            seen.setdefault(sid, i)
        return set(seen)

    def ref(path: YamlPath, value: Any, known: set[str], what: str, skip: Iterable[str] = ()):
        if not isinstance(value, str) or value in known or value in skip:
            return
        close = difflib.get_close_matches(value, sorted(known), n=1)
        if close:
            hint = f" — did you mean `{close[0]}`?"
        elif known:
            shown = sorted(known)
            hint = f" (known: {', '.join(shown[:8])}{', …' if len(shown) > 8 else ''})"
        else:
            hint = " (none defined)"
        out.append(doc.problem(path, f"unknown {what} `{value}`{hint}"))

    sources = _items(data, net, "sources", HeatSource)
    trunks = _items(data, net, "trunks", TrunkLine)
    districts = _items(data, net, "districts", District)
    stations = _items(data, net, "stations", StationDef)
    source_ids = unique_ids("sources", sources)
    trunk_ids = unique_ids("trunks", trunks)
    district_ids = unique_ids("districts", districts)
    unique_ids("stations", stations)

    # Scan group names; None when the section is itself broken (already reported).
    raw_groups = data.get("scan_groups", {"default": None})
    groups = {str(k) for k in raw_groups} if isinstance(raw_groups, dict) else None

    for i, raw, _m in trunks:
        ref(("trunks", i, "source"), raw.get("source"), source_ids, "heat source")

    endpoints: dict[str, int] = {}
    relying: dict[str, int] = {}  # template id -> first station using its default scan group
    for i, raw, m in stations:
        st: StationDef | None = m  # type: ignore[assignment]
        tid = raw.get("template")
        ref(("stations", i, "template"), tid, set(templates.by_id), "template", templates.failed)
        ref(("stations", i, "district"), raw.get("district"), district_ids, "district")
        ref(("stations", i, "trunk"), raw.get("trunk"), trunk_ids, "trunk line")
        if raw.get("scan_group") is not None:
            if groups is not None:
                sg_path: YamlPath = ("stations", i, "scan_group")
                ref(sg_path, raw.get("scan_group"), groups, "scan group")
        elif isinstance(tid, str):
            relying.setdefault(tid, i)
        host = raw.get("host")
        if isinstance(host, str) and not _valid_host(host):
            reason = f"not an IP address or host name{_got(host)}"
            out.append(doc.problem(("stations", i, "host"), reason))
        if st is None:
            continue
        if st.endpoint in endpoints:
            j = endpoints[st.endpoint]
            out.append(
                doc.problem(
                    ("stations", i, "serial" if st.serial else "port"),
                    f"endpoint {st.endpoint} (host:port:unit) is already used by stations[{j}] "
                    f"`{stations_id(data, j)}` at line {doc.line(('stations', j))}",
                )
            )
        endpoints.setdefault(st.endpoint, i)
        tpl = templates.by_id.get(st.template)
        if tpl is not None:
            for p in tpl.points:
                if p.count_from and getattr(st, p.count_from) > (p.max_count or 0):
                    out.append(
                        doc.problem(
                            ("stations", i, p.count_from),
                            f"{getattr(st, p.count_from)} {p.count_from} do not fit "
                            f"template `{tpl.template}` (at most {p.max_count})",
                        )
                    )

    # A template's default scan group must exist for the stations that rely on it.
    for tid, first in relying.items():
        tpl = templates.by_id.get(tid)
        if tpl is None or groups is None or tpl.default_scan_group in groups:
            continue
        path: YamlPath = ("templates", templates.index[tid])
        out.append(
            doc.problem(
                path,
                f"template `{tid}` uses default_scan_group `{tpl.default_scan_group}`, which "
                f"scan_groups does not define (defined: {', '.join(sorted(groups))}); stations "
                f"such as stations[{first}] rely on it — define it or give them `scan_group`",
            )
        )
    return out


def stations_id(data: dict[str, Any], i: int) -> str:
    try:
        return str(data["stations"][i]["id"])
    except (KeyError, IndexError, TypeError):
        return "?"


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    # All-numeric labels that are not a valid IP (e.g. 127.0.1.300) are a typo, not a name.
    if all(label.isdigit() for label in host.split(".")):
        return False
    return bool(_HOSTNAME.match(host))


def count_points(net: NetworkDef) -> int:
    """Concrete points of the whole network (repeated points counted per station)."""
    total = 0
    for st in net.stations:
        for p in net.templates[st.template].points:
            total += min(getattr(st, p.count_from), p.max_count or 0) if p.count_from else 1
    return total
