"""A connection to the broker: MQTT v5 over paho-mqtt, TLS whenever it leaves the machine.

paho runs its own network thread (keepalive, reconnect with backoff); `publish` is a
non-blocking, thread-safe call. That fits heatconsole's threads as they are: the server
publishes from its service thread without awaiting anything, and a console's messages arrive
on paho's thread, which only decodes them and hands them on.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from console.core.auth.transport import InsecureTransport, client_ssl_context, is_loopback

log = logging.getLogger(__name__)


class LinkError(ValueError):
    """A broker address or login that cannot work (said before anything is sent). The ones an
    operator meets at the login carry a reason code and its arguments (console/remote/reasons.py)
    so the login dialog says them in the interface language; str() stays the English."""

    def __init__(self, text: str, code: str | None = None, **args: object) -> None:
        super().__init__(text)
        self.code = code
        self.args_ = args


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        """`mqtt://host[:1883]` or `mqtts://host[:8883]` (credentials in the URL are allowed
        but a login prompt is the usual way)."""
        u = urlsplit(url if "://" in url else f"mqtt://{url}")
        if u.scheme not in ("mqtt", "mqtts"):
            raise LinkError(f"broker address {url!r}: use mqtt://HOST:PORT or mqtts://HOST:PORT")
        if not u.hostname:
            raise LinkError(f"broker address {url!r}: no host")
        tls = u.scheme == "mqtts"
        try:
            port = u.port or (8883 if tls else 1883)
        except ValueError:
            raise LinkError(f"broker address {url!r}: the port is not a number") from None
        user = unquote(u.username) if u.username else None
        pw = unquote(u.password) if u.password else None
        return cls(u.hostname, port, tls, user, pw)

    def check_transport(self, ca_file: str | None = None) -> None:
        """Credentials never cross a network in clear: off this machine, TLS or nothing. A CA
        file is for TLS, and must hold a certificate: said here, before any login."""
        if not self.tls and not is_loopback(self.host):
            raise LinkError(
                f"broker {self.host}:{self.port} is not on this machine: use mqtts:// (TLS) — "
                "a password must not cross the network in clear"
            )
        if ca_file is not None and not self.tls:
            raise LinkError(
                f"broker {self}: a CA file ({ca_file}) is for a TLS listener — use "
                f"mqtts://{self.host}:PORT, or leave the CA file out"
            )
        if self.tls:
            tls_context(ca_file)

    def __str__(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Server certificate verified against `ca_file` (or the system's CAs), hostname checked;
    LinkError naming the file when it is missing or holds no certificate."""
    try:
        if ca_file is not None:
            return client_ssl_context(ca_file)
        ctx = ssl.create_default_context()
    except InsecureTransport as e:
        raise LinkError(str(e)) from None
    except ssl.SSLError as e:
        raise LinkError(
            f"CA file {ca_file}: no CA certificate in it (PEM expected): {e.reason or e}"
        ) from None
    except OSError as e:
        raise LinkError(f"CA file {ca_file}: {e.strerror or e}") from None
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


MessageHandler = Callable[[mqtt.MQTTMessage], None]

# Seconds between PINGREQs when nothing else is sent; the broker drops a client silent for 1.5x
# it. paho pings from its own network thread, which gets the GIL every switch interval while
# another thread runs Python: a stalled GUI or session loop does not silence it (test_link.py);
# only a C call holding the GIL for over 15 s would.
KEEPALIVE_S = 10


class BrokerLink:
    """One MQTT v5 session. Callbacks run on paho's network thread: keep them short."""

    def __init__(
        self,
        address: BrokerAddress,
        *,
        username: str | None,
        password: str | None,
        client_id: str | None = None,
        ca_file: str | None = None,
        will: tuple[str, bytes] | None = None,
        on_message: MessageHandler | None = None,
        on_state: Callable[[bool, str], None] | None = None,
        subscriptions: tuple[tuple[str, int], ...] = (),
        keepalive: int = KEEPALIVE_S,
    ) -> None:
        address.check_transport(ca_file)
        self.address = address
        self.keepalive = keepalive
        self.client_id = client_id or f"hc-{uuid.uuid4().hex[:12]}"
        self.subscriptions = list(subscriptions)
        self.on_message = on_message
        self.on_state = on_state
        self.connected = threading.Event()
        self.refused: LinkError | None = None  # the broker's refusal of the connection
        self._answered = threading.Event()  # accepted, or refused for good: start() need not wait
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5)
        user = username or address.username
        self.username = user
        if user is not None:
            c.username_pw_set(user, password if password is not None else address.password)
        self._tls: ssl.SSLContext | None = None
        if address.tls:
            self._tls = tls_context(ca_file)
            c.tls_set_context(self._tls)
        if will is not None:
            c.will_set(will[0], will[1], qos=1, retain=True)
        c.reconnect_delay_set(1, 5)  # a lost broker is retried every few seconds, not minutes
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        self.client = c

    # --- life cycle ---------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        """Connect (raises LinkError when the broker refuses the login or is unreachable)."""
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 0  # no session outlives the link: nothing is replayed
        try:
            self.client.connect_async(
                self.address.host, self.address.port, keepalive=self.keepalive, clean_start=True,
                properties=props,
            )  # fmt: skip
        except (OSError, ValueError) as e:
            raise LinkError(f"broker {self.address}: {e}") from None
        self._answered.clear()
        self.client.loop_start()
        if not self._answered.wait(timeout) or self.refused is not None:
            self.stop()
            raise self.refused or self._why_no_answer(timeout)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _failed(self, text: str, code: str | None = None, **args: object) -> LinkError:
        """The error `start` raises: the broker's address, then what went wrong (with the
        reason's code and arguments when the login dialog words it)."""
        return LinkError(f"broker {self.address}: {text}", code, broker=str(self.address), **args)

    def _why_no_answer(self, timeout: float) -> LinkError:
        """Why no answer came, by one direct attempt: paho only retries and never says that the
        port refused, or that the broker's TLS certificate is not trusted."""
        host, port = self.address.host, self.address.port
        try:
            sock = socket.create_connection((host, port), timeout=3.0)
        except OSError as e:
            why = str(e.strerror or e)
            return self._failed(
                f"cannot connect: {why} (is the broker running and the address right?)",
                "cannot_connect", why=why,
            )  # fmt: skip
        with sock:
            if self._tls is None:
                return self._failed(
                    f"the port takes connections but gave no MQTT answer in {timeout:g} s "
                    "(a TLS listener? then mqtts://)"
                )
            try:
                with self._tls.wrap_socket(sock, server_hostname=host):
                    pass
            except ssl.SSLCertVerificationError as e:
                return self._failed(
                    f"its TLS certificate is not trusted: {e.verify_message} "
                    "(give the CA certificate that signed it: --ca FILE)"
                )
            except (ssl.SSLError, OSError) as e:
                why = getattr(e, "reason", None) or e.strerror or str(e) or type(e).__name__
                return self._failed(
                    f"no TLS handshake: {why} (is this port the broker's TLS listener?)"
                )
        return self._failed(f"no MQTT answer over TLS in {timeout:g} s")

    # --- traffic ------------------------------------------------------------------------
    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 0,
        retain: bool = False,
        properties: Properties | None = None,
    ) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Publishes inside wake paho's network thread once, at the end, instead of once each.

        paho's `publish` queues the packet and writes a byte to a socket pair to wake its
        network thread, which then takes the GIL and writes that one packet: per message, two
        system calls and a thread switch. A server's batch (a state per station scanned) is
        queued whole, then written by one wake-up. Only the calling thread's publishes may be
        inside (the service loop's); paho's private socket pair is replaced by a stand-in that
        swallows the wake-ups, and restored — a paho without it publishes as usual.
        """
        c = self.client
        real = getattr(c, "_sockpairW", None)
        if real is None or isinstance(real, _Quiet):
            yield  # not started, or a batch already open
            return
        quiet = _Quiet(real)
        c._sockpairW = quiet
        try:
            yield
        finally:
            if c._sockpairW is quiet:
                c._sockpairW = real
            if quiet.woken and not quiet.closed:
                with contextlib.suppress(OSError):
                    real.send(b"0")

    def subscribe(self, topic: str, qos: int = 0) -> None:
        self.subscriptions.append((topic, qos))
        if self.connected.is_set():
            self.client.subscribe(topic, qos)

    # --- paho callbacks (network thread) ------------------------------------------------
    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if rc.is_failure:
            self.refused = self._failed(f"refused the connection: {rc}")
            # Bad credentials will not get better by retrying every few seconds.
            if rc.value in (134, 135, 4, 5):  # bad user name or password / not authorised
                self.refused = self._failed(
                    f"refused the login of {self.username!r}: wrong name or password ({rc})",
                    "login_refused", user=self.username,
                )  # fmt: skip
                client.disconnect()
                self._answered.set()
            return
        self.refused = None
        if self.subscriptions:
            client.subscribe([(t, q) for t, q in self.subscriptions])
        self.connected.set()
        self._answered.set()
        if self.on_state is not None:
            self.on_state(True, "")

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        was = self.connected.is_set()
        self.connected.clear()
        if was and self.on_state is not None:
            self.on_state(False, str(rc))

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        if self.on_message is None:
            return
        try:
            self.on_message(msg)
        except Exception:  # one bad message must not stop paho's thread
            log.exception("handling a message on %s failed", msg.topic)


class _Quiet:
    """Stands in for paho's wake-up socket during a batch: remembers a wake-up, sends none."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.woken = False
        self.closed = False

    def send(self, data: bytes) -> int:
        self.woken = True
        return len(data)

    def close(self) -> None:  # paho resetting its sockets (stop) during the batch
        self.closed = True
        self.real.close()


def request_properties(response_topic: str, correlation: bytes) -> Properties:
    p = Properties(PacketTypes.PUBLISH)
    p.ResponseTopic = response_topic
    p.CorrelationData = correlation
    return p


def reply_properties(correlation: bytes | None) -> Properties | None:
    if correlation is None:
        return None
    p = Properties(PacketTypes.PUBLISH)
    p.CorrelationData = correlation
    return p
