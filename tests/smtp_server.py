"""A real SMTP server on loopback (aiosmtpd) whose answers a test chooses: accept, "try later" (451) a number
of times, refuse (550), or hold one message at RCPT until the test lets it go (to kill a worker mid-send)."""

import asyncio
import email
import socket
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self):
        self.received: list[email.message.Message] = []
        self.refuse = False
        self.try_later = 0  # answer 451 to this many RCPTs before accepting
        self.hold_at: int | None = None  # hold the RCPT of the message after this many were received
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.received]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 No such user here"
        if self.try_later > 0:
            self.try_later -= 1
            return "451 4.3.0 Too many connections, try again later"
        if self.hold_at is not None and len(self.received) >= self.hold_at and not self.holding.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(settings=None):
    """Start the server; with pytest-django's `settings`, point Django's SMTP backend at it."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    if settings is not None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
    handler.port = port
    try:
        yield handler
    finally:
        handler.release.set()
        controller.stop()
