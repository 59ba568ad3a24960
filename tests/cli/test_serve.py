"""`tenure serve` refuses a port it cannot use before claiming to serve."""

import socket

from tests.cli.process import run_tenure


def test_port_outside_the_range_is_a_usage_error(tmp_path):
    result = run_tenure("--home", str(tmp_path), "serve", "--port", "99999")

    assert result.returncode == 2
    assert "Invalid value for '--port'" in result.stderr
    assert "serving at" not in result.stdout


def test_busy_port_is_one_error_line(tmp_path):
    home = tmp_path / "home"
    assert run_tenure("--home", str(home), "init").returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_tenure("--home", str(home), "serve", "--port", str(port))

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use); stop "
        "what uses the port or pass --port with another one"
    ]
    assert "serving at" not in result.stdout
