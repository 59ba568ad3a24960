"""A real server on loopback for web tests."""

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from tenure.web.app import create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_url(workspace) -> Iterator[str]:
    """Run the app in a uvicorn thread on a free loopback port."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(workspace), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start within 10 seconds")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(server_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=10) as http:
        yield http
