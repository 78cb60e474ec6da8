from __future__ import annotations

from console.remote import topics
from console.remote.topics import Topic


def test_builders_and_parser_agree() -> None:
    assert Topic.parse(topics.state("jx-001")) == Topic("state", "jx-001")
    assert Topic.parse(topics.cmd("wang", "north")) == Topic("cmd", "wang", "north")
    assert Topic.parse(topics.reply("wang", "hc-1")) == Topic("reply", "wang", "hc-1")


def test_foreign_or_malformed_topics_are_none() -> None:
    for t in ("hc/v2/state/x", "other/v1/state/x", "hc/v1/state", "hc/v1/cmd/wang",
              "hc/v1/state/a/b"):  # fmt: skip
        assert Topic.parse(t) is None
