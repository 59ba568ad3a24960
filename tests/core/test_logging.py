import io
import sys

import structlog

from tenure.core.logging import configure_logging


def test_log_lines_follow_a_replaced_stderr(monkeypatch):
    configure_logging(level="WARNING")
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    structlog.get_logger().warning("core.test_event", count=1)
    first.close()
    monkeypatch.setattr(sys, "stderr", second)
    structlog.get_logger().warning("core.test_event", count=2)
    assert "count=2" in second.getvalue()


def test_lines_below_the_level_are_dropped(monkeypatch):
    configure_logging(level="WARNING")
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stderr", captured)
    structlog.get_logger().info("core.quiet_event")
    assert captured.getvalue() == ""
