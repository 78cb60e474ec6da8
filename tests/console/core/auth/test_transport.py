"""Credentials never cross a network in clear: the loopback rule and TLS to the real broker."""

from __future__ import annotations

import socket
import ssl

import aiomqtt
import pytest

from console.core.auth.transport import (
    InsecureTransport,
    broker_endpoint,
    client_ssl_context,
    hosts_of,
    is_loopback,
    require_tls,
    url_requests_tls,
)
from tests.support.mqtt_client import BAD_CREDENTIALS, MqttPeer

PW = "pw"


@pytest.mark.parametrize(
    ("address", "hosts"),
    [
        ("mqtt://127.0.0.1:1883", ["127.0.0.1"]),
        ("mqtts://broker.example:8883", ["broker.example"]),
        ("mqtt://[::1]:1883", ["::1"]),
        ("postgresql://hc:pw@db.example:5432/journal", ["db.example"]),
        ("postgresql:///journal", [""]),
        ("postgresql://h1:5432,127.0.0.1:5433/j", ["h1", "127.0.0.1"]),
        ("postgresql:///journal?host=/run/postgresql", ["/run/postgresql"]),
        ("postgresql://localhost/j?host=10.0.0.9", ["10.0.0.9"]),
        ("host=10.1.2.3 dbname=journal", ["10.1.2.3"]),
        ("dbname=journal", [""]),
        ("10.0.0.5:1883", ["10.0.0.5"]),
        ("fe80::1", ["fe80::1"]),
    ],
)
def test_hosts_of(address, hosts):
    assert hosts_of(address) == hosts


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.77.0.3", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("[::ffff:127.0.0.1]", True),
        ("::ffff:7f00:1", True),
        ("::ffff:127.9.8.7", True),
        ("[::1]", True),
        ("fe80::1%eth0", False),
        ("::ffff:10.0.0.5", False),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("", True),
        ("/run/postgresql", True),
        ("10.0.0.5", False),
        ("128.0.0.1", False),
        ("::2", False),
        ("broker.example", False),
        ("localhost.example", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "address",
    ["mqtt://10.0.0.5:1883", "broker.example", "postgresql://hc@db.example/j", "host=10.1.2.3"],
)
def test_remote_without_tls_refused(address):
    with pytest.raises(InsecureTransport, match=r"not on this machine.*in clear"):
        require_tls(address, tls_configured=False)
    require_tls(address, tls_configured=True)  # with TLS it may go


def test_loopback_may_go_in_clear():
    for address in ("mqtt://127.0.0.1:1883", "postgresql:///j", "localhost:5432"):
        require_tls(address, tls_configured=False)


def test_one_remote_host_of_several_is_enough_to_refuse():
    with pytest.raises(InsecureTransport, match="db2"):
        require_tls("postgresql://127.0.0.1,db2/j", tls_configured=False)


def test_url_requests_tls():
    assert url_requests_tls("mqtts://b:8883")
    assert url_requests_tls("postgresql://db/j?sslmode=verify-full")
    assert url_requests_tls("host=db sslmode=verify-full")
    assert not url_requests_tls("postgresql://db/j?sslmode=require")  # no server check
    assert not url_requests_tls("mqtt://b:1883")


def test_broker_endpoint_refuses_before_any_connect(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(InsecureTransport, match=r"broker 192\.0\.2\.7 is not on this machine"):
        broker_endpoint("mqtt://192.0.2.7:1883")


def test_broker_endpoint_parses(mosquitto_pki):
    assert broker_endpoint("mqtt://127.0.0.1").port == 1883
    plain = broker_endpoint("127.0.0.1:2883")
    assert (plain.host, plain.port, plain.ssl_context) == ("127.0.0.1", 2883, None)
    tls = broker_endpoint("mqtts://broker.example", ca_file=mosquitto_pki.ca_file)
    assert tls.port == 8883 and tls.ssl_context.check_hostname
    with pytest.raises(ValueError, match="expected mqtt://"):
        broker_endpoint("http://127.0.0.1")
    with pytest.raises(InsecureTransport, match=r"CA file .* does not exist"):
        broker_endpoint("mqtts://127.0.0.1", ca_file="/nonexistent/ca.crt")


async def test_tls_with_the_ca_connects(mosquitto):
    broker = mosquitto(users={"srv": (PW, "server"), "vera": (PW, "viewer")})
    end = broker_endpoint(broker.tls_url, ca_file=broker.ca_file)
    connect = {"protocol": aiomqtt.ProtocolVersion.V5, "tls_context": end.ssl_context}
    async with (
        aiomqtt.Client(end.host, end.port, username="vera", password=PW, **connect) as vera,
        aiomqtt.Client("localhost", end.port, username="srv", password=PW, **connect) as srv,
    ):
        await vera.subscribe("hc/v1/state/+", qos=1)
        await srv.publish("hc/v1/state/st-1", b"over tls", qos=1)
        async for msg in vera.messages:
            assert msg.payload == b"over tls"
            break


async def test_tls_without_the_ca_fails(mosquitto):
    broker = mosquitto(users={"vera": (PW, "viewer")})
    system_trust = ssl.create_default_context()
    client = aiomqtt.Client(
        broker.host, broker.tls_port, username="vera", password=PW, tls_context=system_trust
    )
    with pytest.raises(aiomqtt.MqttError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        async with client:
            pass


def test_tls_checks_the_host_name(mosquitto):
    broker = mosquitto()
    ctx = client_ssl_context(broker.ca_file)
    raw = socket.create_connection((broker.host, broker.tls_port), timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"mismatch|not valid"):
        ctx.wrap_socket(raw, server_hostname="broker.example")
    raw.close()
    with (
        socket.create_connection((broker.host, broker.tls_port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_tls_still_needs_the_password(mosquitto):
    broker = mosquitto(users={"vera": (PW, "viewer")})
    ctx = client_ssl_context(broker.ca_file)
    assert MqttPeer(broker, "vera", "wrong", tls_context=ctx).connect() in BAD_CREDENTIALS
    with MqttPeer(broker, "vera", PW, tls_context=ctx):
        pass
