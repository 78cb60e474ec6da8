"""Read a network YAML file (and the templates it names) into a validated NetworkDef.

Every problem found is collected and reported at once as `file:line: yaml.path: reason`, so a
field engineer fixes a file in one pass. Never raises anything but ConfigError for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from station_config.schema import NetworkDef, TemplateDef

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_CONFIG = PACKAGE_DIR / "demo.yaml"

YamlPath = tuple[str | int, ...]


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


class YamlDoc:
    """A parsed YAML document plus the line of every node, for error messages."""

    def __init__(self, file: Path):
        self.file = file
        self.lines: dict[YamlPath, int] = {}
        text = file.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            self._index(node, ())
        self.data: Any = yaml.safe_load(text)

    def _index(self, node: yaml.Node, path: YamlPath) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value
                self.lines[(*path, key)] = k.start_mark.line + 1
                self._index(v, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._index(v, (*path, i))

    def line(self, path: YamlPath) -> int | None:
        # The deepest known ancestor's line (a missing field points at its parent).
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def problem(self, path: YamlPath, message: str) -> Problem:
        return Problem(str(self.file), self.line(path), format_path(path), message)


def _read(file: Path, problems: list[Problem]) -> YamlDoc | None:
    try:
        return YamlDoc(file)
    except FileNotFoundError:
        problems.append(Problem(str(file), None, "", "file not found"))
    except (OSError, UnicodeDecodeError) as e:
        problems.append(Problem(str(file), None, "", f"cannot read file: {e}"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(e, "problem", None) or str(e)
        problems.append(Problem(str(file), line, "", f"not valid YAML: {reason}"))
    return None


def _pydantic_problems(doc: YamlDoc, err: ValidationError, base: YamlPath = ()) -> list[Problem]:
    out = []
    for e in err.errors():
        loc: YamlPath = tuple(
            p for p in e["loc"] if not isinstance(p, str) or not p.startswith("function-")
        )
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "missing":
            msg = f"missing field `{loc[-1]}`" if loc else msg
        elif e["type"] == "extra_forbidden":
            msg = f"unknown field `{loc[-1]}`"
        out.append(doc.problem((*base, *loc), msg))
    return out


def load_template(file: Path, problems: list[Problem]) -> TemplateDef | None:
    doc = _read(file, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            doc.problem((), "a template must be a mapping with `template` and `points`")
        )
        return None
    try:
        tpl = TemplateDef.model_validate(doc.data)
    except ValidationError as e:
        problems.extend(_pydantic_problems(doc, e))
        return None
    problems.extend(check_template(doc, tpl))
    return tpl


def check_template(doc: YamlDoc, tpl: TemplateDef) -> list[Problem]:
    """Cross-point rules pydantic cannot see: unique names, no overlapping registers."""
    out = []
    seen_names: dict[str, int] = {}
    owner: dict[int, tuple[int, str]] = {}
    for i, p in enumerate(tpl.points):
        if p.name in seen_names:
            out.append(
                doc.problem(
                    ("points", i, "name"),
                    f"duplicate point name `{p.name}` (first at points[{seen_names[p.name]}])",
                )
            )
        seen_names.setdefault(p.name, i)
        for a in range(p.address, p.address + p.span):
            if a in owner:
                j, other = owner[a]
                out.append(
                    doc.problem(
                        ("points", i, "address"),
                        f"`{p.name}` overlaps `{other}` (points[{j}]) at register {a}",
                    )
                )
                break
            owner[a] = (i, p.name)
    if tpl.word_order_point is not None:
        if tpl.word_order_point not in seen_names:
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


def load_network(path: str | Path) -> NetworkDef:
    """Load and validate a network file; raise ConfigError listing every problem."""
    file = Path(path)
    problems: list[Problem] = []
    doc = _read(file, problems)
    if doc is None:
        raise ConfigError(problems)
    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError([doc.problem((), "a network file must be a mapping (name, stations, …)")])

    templates: dict[str, TemplateDef] = {}
    tpl_files = data.pop("templates", [])
    if not isinstance(tpl_files, list):
        problems.append(doc.problem(("templates",), "must be a list of template file paths"))
        tpl_files = []
    for i, rel in enumerate(tpl_files):
        if not isinstance(rel, str):
            problems.append(doc.problem(("templates", i), "must be a file path"))
            continue
        tfile = (file.parent / rel).resolve()
        if not tfile.exists() and (PACKAGE_DIR / rel).exists():
            tfile = PACKAGE_DIR / rel  # built-in templates ship with the package
        n_before = len(problems)
        tpl = load_template(tfile, problems)
        if tpl is None:
            if len(problems) == n_before:
                problems.append(doc.problem(("templates", i), f"cannot load template {rel}"))
            continue
        if tpl.template in templates:
            problems.append(
                doc.problem(("templates", i), f"template `{tpl.template}` is defined twice")
            )
        templates[tpl.template] = tpl

    try:
        net = NetworkDef.model_validate({**data, "templates": templates})
    except ValidationError as e:
        problems.extend(_pydantic_problems(doc, e))
        raise ConfigError(problems) from None
    problems.extend(check_network(doc, net))
    if problems:
        raise ConfigError(problems)
    return net


def check_network(doc: YamlDoc, net: NetworkDef) -> list[Problem]:
    """References and uniqueness across the whole network."""
    out: list[Problem] = []

    def unique(kind: str, items: list[Any]) -> set[str]:
        seen: dict[str, int] = {}
        for i, it in enumerate(items):
            if it.id in seen:
                out.append(
                    doc.problem(
                        (kind, i, "id"), f"duplicate id `{it.id}` (first at {kind}[{seen[it.id]}])"
                    )
                )
            seen.setdefault(it.id, i)
        return set(seen)

    sources = unique("sources", net.sources)
    trunks = unique("trunks", net.trunks)
    districts = unique("districts", net.districts)
    unique("stations", net.stations)
    for i, t in enumerate(net.trunks):
        if t.source not in sources:
            out.append(doc.problem(("trunks", i, "source"), f"unknown heat source `{t.source}`"))
    endpoints: dict[str, int] = {}
    for i, s in enumerate(net.stations):
        if s.template not in net.templates:
            known = ", ".join(sorted(net.templates)) or "none loaded"
            out.append(
                doc.problem(
                    ("stations", i, "template"), f"unknown template `{s.template}` (known: {known})"
                )
            )
        if s.district not in districts:
            out.append(doc.problem(("stations", i, "district"), f"unknown district `{s.district}`"))
        if s.trunk not in trunks:
            out.append(doc.problem(("stations", i, "trunk"), f"unknown trunk line `{s.trunk}`"))
        group = s.scan_group
        if group is not None and group not in net.scan_groups:
            out.append(doc.problem(("stations", i, "scan_group"), f"unknown scan group `{group}`"))
        if s.endpoint in endpoints:
            j = endpoints[s.endpoint]
            out.append(
                doc.problem(
                    ("stations", i, "port"),
                    f"endpoint {s.endpoint} is already used by stations[{j}] "
                    f"({net.stations[j].id})",
                )
            )
        endpoints.setdefault(s.endpoint, i)
        tpl = net.templates.get(s.template)
        if tpl is not None:
            for p in tpl.points:
                if p.count_from and getattr(s, p.count_from) > (p.max_count or 0):
                    out.append(
                        doc.problem(
                            ("stations", i, p.count_from),
                            f"{getattr(s, p.count_from)} {p.count_from} do not fit "
                            f"template `{tpl.template}` (at most {p.max_count})",
                        )
                    )
    return out
