"""Credentials never cross a network in clear: the rule, and the TLS context that satisfies it.

A broker or database address that is not loopback (127.0.0.0/8, ::1, `localhost`) or a unix
socket needs TLS. Host names other than `localhost` are not resolved: a name may point
anywhere tomorrow, so it counts as remote. Call `require_tls` before any connect.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# URL schemes whose connection is TLS by definition.
TLS_SCHEMES = frozenset({"mqtts", "ssl", "tls", "wss"})
# psycopg/libpq: only verify-full checks both the chain and the host name.
PG_TLS_MODES = frozenset({"verify-full"})
MQTT_PORT = 1883
MQTTS_PORT = 8883


class InsecureTransport(ValueError):
    """A non-loopback address without TLS; the message names the address and the remedy."""


def hosts_of(url_or_host: str) -> list[str]:
    """The host(s) an address names; '' or a path means a unix socket.

    Accepts `scheme://[user[:pw]@]host[:port][,host2…][/…][?host=…]` (MQTT, PostgreSQL),
    libpq `key=value` strings, `host`, `host:port`, `[v6]:port` and socket paths.
    """
    text = url_or_host.strip()
    if "://" in text:
        parts = urlsplit(text)
        query = parse_qs(parts.query)
        if "host" in query or "hostaddr" in query:  # libpq: the query overrides the netloc
            return _split_hosts(",".join(query.get("hostaddr") or query["host"]))
        netloc = parts.netloc.rpartition("@")[2]
        return [_strip_port(unquote(h)) for h in netloc.split(",")]
    if "=" in text:  # libpq conninfo: "host=db1 dbname=journal"
        fields = dict(f.split("=", 1) for f in text.split() if "=" in f)
        return _split_hosts(fields.get("hostaddr") or fields.get("host", ""))
    return [_strip_port(text)]


def _split_hosts(value: str) -> list[str]:
    return [h.strip() for h in value.split(",")]


def _strip_port(hostport: str) -> str:
    if hostport.startswith("["):  # [v6] or [v6]:port
        return hostport[1 : hostport.find("]")]
    if hostport.count(":") == 1:  # v4 or name with a port; a bare v6 has several colons
        return hostport.split(":")[0]
    return hostport


def is_loopback(host: str) -> bool:
    """True for a unix socket ('' or a path), localhost, 127.0.0.0/8 and ::1, also written as
    an IPv4-mapped IPv6 address (::ffff:127.0.0.1), bracketed or with a zone. The one loopback
    rule: the broker link and the database connection both ask it."""
    if host == "" or host.startswith(("/", "@")):
        return True
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False  # a name: not resolved on purpose
    # Python 3.11's IPv6Address.is_loopback is only ::1; ipaddress unwraps ::ffff:a.b.c.d itself.
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def url_requests_tls(url: str) -> bool:
    """True if the address itself asks for verified TLS: mqtts://… or sslmode=verify-full."""
    text = url.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme.lower() in TLS_SCHEMES:
            return True
        modes = parse_qs(parts.query).get("sslmode", [])
    else:
        modes = [f.split("=", 1)[1] for f in text.split() if f.startswith("sslmode=")]
    return any(m in PG_TLS_MODES for m in modes)


def require_tls(url_or_host: str, tls_configured: bool, what: str = "address") -> None:
    """Raise InsecureTransport if `url_or_host` leaves this machine and TLS is not configured."""
    if tls_configured:
        return
    remote = [h for h in hosts_of(url_or_host) if not is_loopback(h)]
    if remote:
        raise InsecureTransport(
            f"{what} {remote[0]} is not on this machine (not loopback): the password would "
            "cross the network in clear; configure TLS (mqtts:// with a CA file for the "
            "broker, sslmode=verify-full for PostgreSQL) or use a loopback address"
        )


def client_ssl_context(
    ca_file: str | os.PathLike[str],
    certfile: str | os.PathLike[str] | None = None,
    keyfile: str | os.PathLike[str] | None = None,
) -> ssl.SSLContext:
    """A client context that trusts only `ca_file` and checks the server's host name."""
    ca = Path(ca_file)
    if not ca.is_file():
        raise InsecureTransport(f"CA file {ca} does not exist")
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    if certfile:
        ctx.load_cert_chain(certfile, keyfile)
    return ctx


@dataclass(frozen=True, slots=True)
class BrokerEndpoint:
    host: str
    port: int
    ssl_context: ssl.SSLContext | None


def broker_endpoint(url: str, ca_file: str | os.PathLike[str] | None = None) -> BrokerEndpoint:
    """Parse `mqtt://HOST[:PORT]` / `mqtts://HOST[:PORT]` and apply the TLS rule.

    TLS is used for mqtts:// or whenever a CA file is given; a remote host without it is
    refused here, before any connection is attempted.
    """
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    if parts.scheme not in ("mqtt", "mqtts"):
        raise ValueError(f"broker address {url!r}: expected mqtt://HOST:PORT or mqtts://…")
    if not parts.hostname:
        raise ValueError(f"broker address {url!r} names no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"broker address {url!r}: bad port") from None
    tls = parts.scheme == "mqtts" or ca_file is not None
    require_tls(parts.hostname, tls, what="broker")
    ctx = None
    if tls:  # no CA file: the system's trust store, still with host name checking
        ctx = client_ssl_context(ca_file) if ca_file is not None else ssl.create_default_context()
    return BrokerEndpoint(parts.hostname, port or (MQTTS_PORT if tls else MQTT_PORT), ctx)
