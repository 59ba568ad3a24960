"""structlog, configured once at the edge; modules use `structlog.get_logger()`."""

import logging
import sys

import structlog


def _stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger on stderr as it is now: a stream swapped since start-up (a test
    runner's capture) is never written to after it was closed."""
    return structlog.PrintLogger(file=sys.stderr)


def configure_logging(*, level: str = "WARNING", json: bool = False) -> None:
    """Send structured log lines to stderr at the given level."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.WARNING)
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
