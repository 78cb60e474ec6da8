"""The loader reports every problem at once, each with file, line, YAML path and a plain reason,
and never lets anything but ConfigError out, whatever the input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station_config.loader import ConfigError, Problem, load_network
from station_config.schema import NetworkDef

HEAD = """\
name: test
templates: [templates/substation-v1.yaml]
sources:
  - {id: east, name: 偃师热电, position: [30, 0]}
trunks:
  - {id: t1, name: 东线, source: east, route: [[30, 0], [0, 0]]}
districts:
  - {id: jianxi, name: 涧西区, center: [0, 0]}
stations:
"""
HEAD_LINES = HEAD.count("\n")  # the first station is on line HEAD_LINES + 1


def station(n: int, **over: object) -> str:
    fields: dict[str, object] = {
        "id": f"jx-{n:03d}",
        "name": f"站{n}",
        "district": "jianxi",
        "trunk": "t1",
        "template": "substation-v1",
        "host": f"127.0.1.{n}",
        "port": 1502,
        "rooms": 10,
        "position": "[0, 0]",
    }
    fields.update(over)
    body = ", ".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"  - {{{body}}}\n"


def write(tmp_path: Path, text: str, name: str = "net.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def problems_of(file: Path) -> list[Problem]:
    with pytest.raises(ConfigError) as exc:
        load_network(file)
    return exc.value.problems


def one(file: Path) -> Problem:
    ps = problems_of(file)
    assert len(ps) == 1, "\n".join(map(str, ps))
    return ps[0]


def test_valid_network_loads(tmp_path: Path) -> None:
    net = load_network(write(tmp_path, HEAD + station(1) + station(2)))
    assert [s.id for s in net.stations] == ["jx-001", "jx-002"]
    assert "substation-v1" in net.templates


def test_problem_str_is_file_line_path_reason() -> None:
    assert str(Problem("a.yaml", 3, "stations[0].port", "bad")) == "a.yaml:3: stations[0].port: bad"
    assert str(Problem("a.yaml", None, "", "file not found")) == "a.yaml: (top): file not found"


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    f = write(tmp_path, HEAD + station(1) + "  - {id: broken, name: [x\n  - {id: y}\n")
    p = one(f)
    assert p.file == str(f)
    assert p.line in (HEAD_LINES + 2, HEAD_LINES + 3)
    assert "not valid YAML" in p.message


def test_unknown_template(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1, template="substation-v2")))
    assert (p.line, p.path) == (HEAD_LINES + 1, "stations[0].template")
    assert "unknown template `substation-v2`" in p.message
    assert "substation-v1" in p.message  # the hint


def test_template_file_missing(tmp_path: Path) -> None:
    text = HEAD.replace(
        "[templates/substation-v1.yaml]", "[templates/substation-v1.yaml, nope.yaml]"
    )
    f = write(tmp_path, text + station(1))
    p = one(f)
    assert (p.file, p.line, p.path) == (str(f), 2, "templates[1]")
    assert "`nope.yaml` not found" in p.message


def test_template_path_falls_back_to_package(tmp_path: Path) -> None:
    # tmp_path has no templates/ folder: the built-in one is used.
    assert not (tmp_path / "templates").exists()
    load_network(write(tmp_path, HEAD + station(1)))


def test_duplicate_station_id(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1) + station(2, id="jx-001")))
    assert (p.line, p.path) == (HEAD_LINES + 2, "stations[1].id")
    assert "duplicate id `jx-001`" in p.message and f"line {HEAD_LINES + 1}" in p.message


def test_overlapping_endpoints(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1) + station(2, host="127.0.1.1")))
    assert (p.line, p.path) == (HEAD_LINES + 2, "stations[1].port")
    assert "127.0.1.1:1502:1" in p.message and "jx-001" in p.message


def test_same_host_other_unit_is_fine(tmp_path: Path) -> None:
    load_network(write(tmp_path, HEAD + station(1) + station(2, host="127.0.1.1", unit=2)))


def test_missing_field(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1, name=None)))
    assert (p.line, p.path, p.message) == (
        HEAD_LINES + 1,
        "stations[0].name",
        "missing field `name`",
    )


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("port", '"abc"', ["valid integer", "'abc'"]),
        ("rooms", "-3", ["greater than or equal to 0", "-3"]),
        ("port", "70000", ["less than or equal to 65535"]),
        ("position", "[1, 2, 3]", ["at most 2"]),
    ],
)
def test_wrong_type(tmp_path: Path, field: str, value: str, words: list[str]) -> None:
    p = one(write(tmp_path, HEAD + station(1, **{field: value})))
    assert p.line == HEAD_LINES + 1
    assert p.path == f"stations[0].{field}"
    for w in words:
        assert w in p.message


def test_unknown_field_suggests(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1, prot=1502)))
    assert p.path == "stations[0].prot"
    assert p.message == "unknown field `prot` — did you mean `port`?"


def test_unknown_top_level_field(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD.replace("sources:", "stations_x: 1\nsources:") + station(1)))
    assert (p.line, p.path) == (3, "stations_x")


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("district", "jianxii", "district"),
        ("trunk", "t2", "trunk line"),
        ("scan_group", "slow", "scan group"),
    ],
)
def test_unknown_reference(tmp_path: Path, field: str, value: str, what: str) -> None:
    p = one(write(tmp_path, HEAD + station(1, **{field: value})))
    assert (p.line, p.path) == (HEAD_LINES + 1, f"stations[0].{field}")
    assert p.message.startswith(f"unknown {what} `{value}`")


def test_unknown_source(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD.replace("source: east", "source: eest") + station(1)))
    assert (p.line, p.path) == (6, "trunks[0].source")
    assert "unknown heat source `eest` — did you mean `east`?" in p.message


def test_rooms_over_template_max(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1, rooms=241)))
    assert (p.line, p.path) == (HEAD_LINES + 1, "stations[0].rooms")
    assert "at most 240" in p.message


def test_bad_host(tmp_path: Path) -> None:
    p = one(write(tmp_path, HEAD + station(1, host="127.0.1.300")))
    assert p.path == "stations[0].host"


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    p = one(write(tmp_path, "name: a\nname: b\n"))
    assert (p.line, p.path) == (2, "name")
    assert "duplicate key `name` (first at line 1)" in p.message


def test_default_scan_group_of_template_must_exist(tmp_path: Path) -> None:
    text = HEAD.replace("sources:", "scan_groups: {fast: {period_s: 1}}\nsources:")
    f = write(tmp_path, text + station(1) + station(2, scan_group="fast"))
    p = one(f)
    assert (p.line, p.path) == (2, "templates[0]")
    assert "default_scan_group `default`" in p.message and "stations[0]" in p.message
    # Every station naming its group: no problem.
    load_network(write(tmp_path, text + station(1, scan_group="fast"), "ok.yaml"))


# --- template files -------------------------------------------------------------------------

TEMPLATE = """\
template: t-test
points:
  - {name: a, address: 0}
  - {name: b, address: 1, type: u32}
"""


def with_template(tmp_path: Path, tpl_text: str) -> tuple[Path, Path]:
    tfile = write(tmp_path, tpl_text, "tpl.yaml")
    text = HEAD.replace("templates/substation-v1.yaml", "tpl.yaml")
    return write(tmp_path, text + station(1, template="t-test")), tfile


def test_custom_template_loads(tmp_path: Path) -> None:
    net = load_network(with_template(tmp_path, TEMPLATE)[0])
    assert [p.name for p in net.templates["t-test"].points] == ["a", "b"]


def test_duplicate_point_name(tmp_path: Path) -> None:
    f, tfile = with_template(tmp_path, TEMPLATE + "  - {name: a, address: 9}\n")
    p = one(f)
    assert (p.file, p.line, p.path) == (str(tfile), 5, "points[2].name")
    assert "duplicate point name `a`" in p.message


def test_address_overlap_in_template(tmp_path: Path) -> None:
    f, tfile = with_template(tmp_path, TEMPLATE + "  - {name: c, address: 2}\n")
    p = one(f)
    assert (p.file, p.line, p.path) == (str(tfile), 5, "points[2].address")
    assert "overlaps `b`" in p.message and "register 2" in p.message


def test_repeated_point_overlap(tmp_path: Path) -> None:
    tpl = TEMPLATE + (
        "  - {name: r, address: 10, type: i16, count_from: rooms, max_count: 20}\n"
        "  - {name: s, address: 29}\n"
    )
    p = one(with_template(tmp_path, tpl)[0])
    assert p.path == "points[3].address" and "overlaps `r`" in p.message


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ("{name: c, address: 5, max: 70000}", "max"),
        ("{name: c, address: 5, type: i16, min: -40000}", "min"),
        ("{name: c, address: 5, type: i16, sentinel: 40000}", "sentinel"),
        ("{name: c, address: 5, scale: 0.1, access: RW, min: 0, max: 7000}", "max"),
    ],
)
def test_point_does_not_fit_its_type(tmp_path: Path, point: str, field: str) -> None:
    f, tfile = with_template(tmp_path, TEMPLATE + f"  - {point}\n")
    p = one(f)
    assert (p.file, p.line, p.path) == (str(tfile), 5, f"points[2].{field}")
    assert "does not fit type" in p.message


def test_rw_point_without_range(tmp_path: Path) -> None:
    f, tfile = with_template(tmp_path, TEMPLATE + "  - {name: c, address: 5, access: RW}\n")
    p = one(f)
    assert (p.file, p.line, p.path) == (str(tfile), 5, "points[2]")
    assert "needs `min` and `max`" in p.message


def test_broken_template_does_not_cascade_to_stations(tmp_path: Path) -> None:
    f, _ = with_template(tmp_path, TEMPLATE + "  - {name: c, address: 5, access: RW}\n")
    assert not any("unknown template" in p.message for p in problems_of(f))


def test_template_errors_reported_together(tmp_path: Path) -> None:
    tpl = TEMPLATE + (
        "  - {name: a, address: 9}\n"  # duplicate name
        "  - {name: c, address: 2}\n"  # overlaps b
        "  - {name: d, address: 20, typo: 1}\n"  # unknown field
        "  - {name: e, address: 21, access: RW}\n"  # RW without range
    )
    f, tfile = with_template(tmp_path, tpl)
    ps = problems_of(f)
    assert [(p.file, p.line) for p in ps] == [(str(tfile), n) for n in (5, 6, 7, 8)]


# --- a file named as a template that is not one: named with the reason, never quoted ----------

SECRETS = ("sk-LIVE-9f8e7d6c", "hunter2-TOPSECRET", "root:$6$saltsalt$hashhash", "PRIVATE KEY")
FOREIGN: dict[str, bytes] = {
    "shadow-like lines": b"root:$6$saltsalt$hashhash:20228:0:99999:7:::\ndaemon:*:20228:0::::\n",
    "a mapping of secrets": b"api_key: sk-LIVE-9f8e7d6c\npassword: hunter2-TOPSECRET\n",
    "a list": b"- sk-LIVE-9f8e7d6c\n- hunter2-TOPSECRET\n",
    "a scalar": b"hunter2-TOPSECRET\n",
    "not YAML": b"[creds]\npassword = {hunter2-TOPSECRET\n\tkey: ][ sk-LIVE-9f8e7d6c\n",
    "a PEM key": b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n",
    "binary": b"\x7fELF\x02\x01\x00\x00hunter2-TOPSECRET\x00\xff\xfe",
    "too big": b"password: hunter2-TOPSECRET\n" + b"# padding\n" * 120_000,
    "not UTF-8": b"password: hunter2-TOPSECRET\xff\xfe\n",
}
REASONS = {
    "a list": "top level is a list",
    "a scalar": "single value",
    "binary": "binary data",
    "too big": "more than a template's limit",
}


@pytest.mark.parametrize("what", list(FOREIGN))
def test_foreign_file_as_template_is_named_not_quoted(
    tmp_path: Path, what: str, capsys: pytest.CaptureFixture
) -> None:
    from console.cli import main

    f, tfile = with_template(tmp_path, "")
    tfile.write_bytes(FOREIGN[what])
    assert main(["check-config", str(f)]) != 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert not any(s in text for s in SECRETS), text
    mine = [ln for ln in text.splitlines() if ln.startswith(str(tfile))]
    assert len(mine) == 1 and "not a heatconsole device template" in mine[0], text
    assert REASONS.get(what, "") in mine[0]


def test_fifo_as_template_is_refused_not_read(tmp_path: Path) -> None:
    """A FIFO (or /dev/zero) named as a template: one problem, and nothing waits on it. The
    follow-up look for its `template:` id opened it: a FIFO blocked check-config, poll and the
    window forever, /dev/zero was read until memory ran out. Run as a real process, so the
    old hang fails the test at the guard instead of hanging the suite."""
    import os
    import subprocess
    import sys

    f, tfile = with_template(tmp_path, "")
    tfile.unlink()
    os.mkfifo(tfile)
    cmd = [sys.executable, "-m", "console.cli", "check-config", str(f)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    text = done.stdout + done.stderr
    mine = [ln for ln in text.splitlines() if ln.startswith(str(tfile))]
    assert len(mine) == 1 and "not a regular file" in mine[0], text


def test_real_template_with_wrong_keys_still_gets_its_details(tmp_path: Path) -> None:
    f, tfile = with_template(tmp_path, TEMPLATE.replace("points:", "pionts:"))
    messages = [p.message for p in problems_of(f) if p.file == str(tfile)]
    assert any("did you mean `points`" in m for m in messages)


# --- several problems in one file -----------------------------------------------------------


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    text = HEAD.replace("source: east", "source: eest") + (
        station(1)
        + station(2, id="jx-001")  # duplicate id
        + station(3, port='"abc"', rooms=-3)  # two type errors in one line
        + station(4, district="nowhere", prot=1)  # unknown reference + unknown field
        + station(5, host="127.0.1.1")  # endpoint used by jx-001
        + station(6, rooms=300)  # over the template's max
    )
    f = write(tmp_path, text)
    ps = problems_of(f)
    got = {(p.line, p.path) for p in ps}
    first = HEAD_LINES + 1
    assert got == {
        (6, "trunks[0].source"),
        (first + 1, "stations[1].id"),
        (first + 2, "stations[2].port"),
        (first + 2, "stations[2].rooms"),
        (first + 3, "stations[3].district"),
        (first + 3, "stations[3].prot"),
        (first + 4, "stations[4].port"),
        (first + 5, "stations[5].rooms"),
    }
    assert all(p.file == str(f) for p in ps)
    assert [p.line for p in ps] == sorted(p.line or 0 for p in ps)


def test_config_error_message_lists_problems(tmp_path: Path) -> None:
    f = write(tmp_path, HEAD + station(1, district="x") + station(2, trunk="y"))
    with pytest.raises(ConfigError) as exc:
        load_network(f)
    lines = str(exc.value).splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{f}:") for line in lines)


@pytest.mark.skipif("alarms" not in NetworkDef.model_fields, reason="no alarms section yet")
def test_optional_alarms_section_typo_is_reported(tmp_path: Path) -> None:
    f = write(tmp_path, HEAD + station(1) + "alarms: {rulez: {}}\n")
    p = one(f)
    assert p.path.startswith("alarms") and "unknown field `rulez`" in p.message
    assert p.line == HEAD_LINES + 2


# --- bad files: a clean problem, never a traceback ------------------------------------------

BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "only comments": b"# nothing here\n",
    "list at top": b"- a\n- b\n",
    "scalar at top": b"just text\n",
    "binary garbage": bytes(range(256)) * 4,
    "NUL byte": b"name: a\x00b\n",
    "latin-1": "name: Müller\n".encode("latin-1"),
    "python tag": b"name: !!python/object/apply:os.system ['true']\n",
    "int key": b"1: a\nname: x\n",
    "stations not a list": b"name: x\nstations: {a: 1}\n",
    "station not a mapping": b"name: x\nstations: [1, abc]\n",
    "templates not a list": b"name: x\ntemplates: 5\n",
    "template not a path": b"name: x\ntemplates: [[a]]\n",
    "template is a directory": b"name: x\ntemplates: [.]\n",
    "scan_groups broken": b"name: x\nscan_groups: 3\nstations: [{scan_group: a}]\n",
    "alias bomb": (
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\n"
        b"name: x\nstations: *f\n"
    ),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_gives_problems_not_traceback(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    ps = problems_of(f)
    assert ps and all(p.file for p in ps) and all(p.message for p in ps)


def test_binary_and_encoding_messages(tmp_path: Path) -> None:
    f = tmp_path / "latin.yaml"
    f.write_bytes(b"name: ok\nx: M\xfcller\n")
    p = one(f)
    assert p.line == 2 and "not UTF-8" in p.message


def test_directory_and_missing_file(tmp_path: Path) -> None:
    assert "directory" in one(tmp_path).message
    assert one(tmp_path / "nope.yaml").message == "file not found"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_fuzz_only_config_error(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "fuzz.yaml"
    f.write_bytes(content)
    try:
        load_network(f)
    except ConfigError as e:
        assert e.problems


def test_decimal_comma_in_flow_style_is_named(tmp_path: Path) -> None:
    """`{period_s: 5,0}` reads as `period_s: 5` plus a key `0`: say so, with file, line and
    path — not pydantic's "Keys should be strings (got 0)"."""
    text = HEAD.replace(
        "stations:\n", "scan_groups:\n  default: {period_s: 5,0, timeout_s: 1.0}\nstations:\n"
    )
    p = one(write(tmp_path, text + station(1)))
    assert (p.line, p.path) == (HEAD_LINES + 1, "scan_groups.default.period_s")
    assert "decimal comma" in p.message and "`period_s: 5.0`" in p.message
    assert "Keys should be strings" not in p.message


def test_decimal_comma_in_block_style_is_named(tmp_path: Path) -> None:
    text = HEAD.replace("stations:\n", "scan_groups:\n  default:\n    period_s: 5,0\nstations:\n")
    p = one(write(tmp_path, text + station(1)))
    assert (p.line, p.path) == (HEAD_LINES + 2, "scan_groups.default.period_s")
    assert "decimal comma? write 5.0" in p.message


def test_booster_flag_defaults_off_and_loads(tmp_path: Path) -> None:
    net = load_network(write(tmp_path, HEAD + station(1)))
    assert net.districts[0].booster is False
    on = HEAD.replace("center: [0, 0]}", "center: [0, 0], booster: true}")
    assert load_network(write(tmp_path, on + station(1))).districts[0].booster is True


def test_booster_flag_not_a_boolean_names_where(tmp_path: Path) -> None:
    bad = HEAD.replace("center: [0, 0]}", "center: [0, 0], booster: perhaps}")
    p = one(write(tmp_path, bad + station(1)))
    assert (p.line, p.path) == (8, "districts[0].booster")
    assert "valid boolean" in p.message and "perhaps" in p.message
    typo = HEAD.replace("center: [0, 0]}", "center: [0, 0], boostr: 1}")
    p = one(write(tmp_path, typo + station(1)))
    assert p.message == "unknown field `boostr` — did you mean `booster`?"
