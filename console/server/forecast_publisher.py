"""The room forecaster's picture out to the consoles: `hc/v1/forecast/{partition}`, retained.

A service listener on the server's loop: after a batch it looks whether the forecaster made a
new picture (an immutable object per cycle, so `is` tells) and publishes it once, with the
outdoor forecast the cycle used (the pre-heating plan of a thin console needs it). Retained, so
a console joining mid-shift draws the forecast band at once; again in full on a reconnect.
"""

from __future__ import annotations

import logging

from console.core.forecast.view import ForecastPicture
from console.core.service import ConsoleService, ServiceUpdate
from console.remote import topics
from console.remote.forecast_codec import encode_forecast
from console.remote.link import BrokerLink

log = logging.getLogger(__name__)


class ForecastPublisher:
    def __init__(self, service: ConsoleService, link: BrokerLink, partition: str) -> None:
        self.service = service
        self.link = link
        self.topic = topics.forecast(partition)
        self._sent: ForecastPicture | None = None
        self.published = 0

    def on_update(self, update: ServiceUpdate | None = None) -> None:
        self.publish()

    def publish(self, force: bool = False) -> None:
        fx = self.service.forecaster
        if fx is None or not self.link.connected.is_set():
            if fx is not None:
                self._sent = None  # the whole picture again once the link is back
            return
        picture = fx.picture()
        if picture is None or (picture is self._sent and not force):
            return
        status = fx.status().forecast
        outdoor = status.forecast if status is not None and status.usable else None
        self.link.publish(self.topic, encode_forecast(picture, outdoor), qos=1, retain=True)
        self._sent = picture
        self.published += 1
