"""Mail servers that fail: a closed port (connection refused) and one that accepts and never answers."""

import socket
import threading

import pytest


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nobody listens there


@pytest.fixture(params=["closed", "silent"])
def broken_smtp(request, settings):
    """The SMTP backend pointed at a server that refuses, or at one that never says a word."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = False
    if request.param == "closed":
        settings.EMAIL_PORT = _closed_port()
        yield "closed"
        return
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    settings.EMAIL_PORT = server.getsockname()[1]
    held, stop = [], threading.Event()

    def accept_and_hold():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except OSError:
                continue
            held.append(connection)  # accepted, never greeted

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    yield "silent"
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()
