"""Mosquitto's password and ACL files from the user store, enforced by the real broker."""

from __future__ import annotations

import base64
import shutil
import stat
import subprocess

import pytest

from console.core.auth.mosquitto import acl_file_text, mosquitto_hash, write_broker_files
from console.core.auth.users import UserStore
from tests.support.mosquitto import FAST_ARGON2
from tests.support.mqtt_client import ACCEPTED, BAD_CREDENTIALS, NOT_AUTHORIZED, MqttPeer

PW = "correct horse"
MARK = "hc/v1/status/mark-"  # every person reads it, the server writes it: a delivery fence
MARKS = "hc/v1/status/+"


@pytest.fixture
def city(mosquitto):
    return mosquitto(
        users={
            "srv": (PW, "server"),
            "vera": (PW, "viewer"),
            "alice": (PW, "operator"),
            "bob": (PW, "engineer"),
        }
    )


def fence(server: MqttPeer, *readers: MqttPeer, n: int = 0) -> None:
    """Publish a marker after everything before it; once readers have it, nothing else is due.

    Mosquitto handles packets one at a time, so a message it accepted before the marker
    reaches a subscriber before the marker does.
    """
    topic = f"{MARK}{n}"
    assert server.publish(topic, b"mark") in ACCEPTED
    for r in readers:
        r.wait_for(topic)


def test_hash_matches_mosquitto_passwd(tmp_path):
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        pytest.skip("mosquitto_passwd is not installed (Debian package: mosquitto)")
    pwfile = tmp_path / "pw"
    subprocess.run([tool, "-b", "-c", str(pwfile), "someone", PW], check=True)
    theirs = pwfile.read_text().strip().split(":", 1)[1]
    _, kind, rounds, salt_b64, _ = theirs.split("$")
    ours = mosquitto_hash(PW, int(rounds), base64.b64decode(salt_b64))
    assert kind == "7"
    assert ours == theirs
    assert mosquitto_hash(PW) != mosquitto_hash(PW)  # fresh salt each time


def test_broker_accepts_our_hash_and_refuses_a_wrong_password(city):
    with MqttPeer(city, "alice", PW):
        pass
    assert MqttPeer(city, "alice", "wrong").connect() in BAD_CREDENTIALS
    assert MqttPeer(city, "mallory", PW).connect() in BAD_CREDENTIALS
    assert MqttPeer(city, "", "").connect() != 0  # no anonymous access


def test_viewer_publishes_nothing(city):
    with MqttPeer(city, "srv", PW) as srv, MqttPeer(city, "vera", PW) as vera:
        assert srv.subscribe("hc/v1/cmd/+/+") == [1]
        srv.subscribe(MARKS)
        assert vera.publish("hc/v1/cmd/vera/p1", b"ack") == NOT_AUTHORIZED
        assert vera.publish("hc/v1/state/st-1", b"spoof") == NOT_AUTHORIZED
        assert vera.publish("hc/v1/cmd/vera/p1", b"ack", qos=0) in ACCEPTED  # QoS 0: no PUBACK ...
        fence(srv, srv)
        assert srv.topics() == [f"{MARK}0"]  # ... and nothing delivered either way


def test_operator_commands_only_under_own_name(city):
    with MqttPeer(city, "srv", PW) as srv, MqttPeer(city, "alice", PW) as alice:
        srv.subscribe("hc/v1/cmd/+/+")
        srv.subscribe(MARKS)
        assert alice.publish("hc/v1/cmd/bob/p1", b"as bob") == NOT_AUTHORIZED
        assert alice.publish("hc/v1/cmd/alice/p1", b"as alice") in ACCEPTED
        assert alice.publish("hc/v1/state/st-1", b"spoof") == NOT_AUTHORIZED
        assert alice.publish("hc/v1/reply/alice/c1", b"self-answer") == NOT_AUTHORIZED
        fence(srv, srv)
        assert srv.topics() == ["hc/v1/cmd/alice/p1", f"{MARK}0"]


def test_last_will_obeys_the_acl(city):
    """A console cannot fake a server's 'offline' status through its last will."""
    with MqttPeer(city, "srv", PW) as srv:
        srv.subscribe(MARKS)
        with MqttPeer(city, "srv", PW, will=("hc/v1/status/p2", b"srv offline")) as srv2:
            srv2.drop_with_will()
        assert srv.wait_for("hc/v1/status/p2").payload == b"srv offline"  # the will works
        fake = MqttPeer(city, "alice", PW, will=("hc/v1/status/p1", b"fake offline"))
        if fake.connect() == 0:  # Mosquitto may refuse the CONNECT or drop the will later
            fake.drop_with_will()
        fence(srv, srv)
        assert "hc/v1/status/p1" not in srv.topics()


def test_replies_and_role_topic_reach_only_their_user(city):
    with (
        MqttPeer(city, "srv", PW) as srv,
        MqttPeer(city, "alice", PW) as alice,
        MqttPeer(city, "bob", PW) as bob,
    ):
        for peer in (alice, bob):
            peer.subscribe("hc/v1/reply/#")  # granted, but filtered per message
            peer.subscribe("hc/v1/user/+")
            peer.subscribe(MARKS)
        assert srv.publish("hc/v1/reply/alice/c1", b"done") in ACCEPTED
        assert srv.publish("hc/v1/reply/bob/c7", b"refused") in ACCEPTED
        assert srv.publish("hc/v1/user/alice", b'{"role": "operator"}', retain=True) in ACCEPTED
        assert srv.publish("hc/v1/user/bob", b'{"role": "engineer"}', retain=True) in ACCEPTED
        fence(srv, alice, bob)
        assert alice.topics() == ["hc/v1/reply/alice/c1", "hc/v1/user/alice", f"{MARK}0"]
        assert bob.topics() == ["hc/v1/reply/bob/c7", "hc/v1/user/bob", f"{MARK}0"]


def test_server_reads_commands_and_everyone_reads_state(city):
    with (
        MqttPeer(city, "srv", PW) as srv,
        MqttPeer(city, "vera", PW) as vera,
        MqttPeer(city, "bob", PW) as bob,
    ):
        srv.subscribe("hc/v1/cmd/+/+")
        for topic in ("net/p1", "state/st-1", "alarms/st-1", "status/p1", "events/p1"):
            assert srv.publish(f"hc/v1/{topic}", b"x", retain=topic != "events/p1") in ACCEPTED
        assert bob.publish("hc/v1/cmd/bob/p1", b"write") in ACCEPTED
        assert srv.wait_for("hc/v1/cmd/bob/p1").payload == b"write"
        # A viewer joining later draws everything retained; nothing else of the namespace.
        assert vera.subscribe("hc/v1/#") == [1]
        fence(srv, vera)
        retained = ["hc/v1/net/p1", "hc/v1/state/st-1", "hc/v1/alarms/st-1", "hc/v1/status/p1"]
        assert sorted(vera.topics()) == sorted([*retained, f"{MARK}0"])


def test_role_change_and_removal_take_effect_on_reload(city):
    with MqttPeer(city, "srv", PW) as srv:
        srv.subscribe("hc/v1/cmd/+/+")
        with MqttPeer(city, "vera", PW) as vera:
            assert vera.publish("hc/v1/cmd/vera/p1", b"1") == NOT_AUTHORIZED
            city.set_role("vera", "operator")
            assert vera.publish("hc/v1/cmd/vera/p1", b"2") in ACCEPTED
            assert srv.wait_for("hc/v1/cmd/vera/p1").payload == b"2"
            city.set_role("vera", "viewer")
            assert vera.publish("hc/v1/cmd/vera/p1", b"3") == NOT_AUTHORIZED
    city.remove_user("vera")
    assert MqttPeer(city, "vera", PW).connect() in BAD_CREDENTIALS


def test_non_ascii_name_works_end_to_end(city):
    city.add_user("张伟", PW, "operator")
    with MqttPeer(city, "srv", PW) as srv, MqttPeer(city, "张伟", PW) as zhang:
        srv.subscribe("hc/v1/cmd/+/+")
        assert zhang.publish("hc/v1/cmd/张伟/p1", b"ack") in ACCEPTED
        assert zhang.publish("hc/v1/cmd/alice/p1", b"ack") == NOT_AUTHORIZED
        assert srv.wait_for("hc/v1/cmd/张伟/p1").payload == b"ack"


def test_broker_files_are_private_and_follow_the_store(tmp_path):
    store = UserStore(tmp_path / "users.json", hasher=FAST_ARGON2)
    store.add("vera", PW, "viewer")
    store.add("alice", PW, "operator")
    files = write_broker_files(store.list(), tmp_path / "broker")
    for f in (files.password_file, files.acl_file):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    lines = files.password_file.read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["alice", "vera"]
    assert lines[0] == f"alice:{store.get('alice').mosquitto}"
    acl = acl_file_text(store.list())
    assert "topic write hc/v1/cmd/alice/+" in acl
    assert "vera/" not in acl and "write hc/v1/cmd/%u" not in acl
    store.remove("alice")
    files = write_broker_files(store.list(), tmp_path / "broker")
    assert "alice" not in files.password_file.read_text() + files.acl_file.read_text()
    assert [p.name for p in files.acl_file.parent.iterdir() if p.name.startswith(".")] == []
