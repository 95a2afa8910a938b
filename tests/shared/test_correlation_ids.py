"""What a log line shows for a correlation id that came from outside."""

import io
import logging

from shared.observability import _CorrelationFilter, accepted_correlation_id, bind_correlation_id


def _log_line_with(correlation_id: str) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(_CorrelationFilter())
    handler.setFormatter(logging.Formatter("gateway %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"))
    logger = logging.getLogger("correlation-test")
    logger.addHandler(handler)
    try:
        bind_correlation_id(accepted_correlation_id(correlation_id))
        logger.warning("signed in")
    finally:
        bind_correlation_id(None)
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_plain_id_of_up_to_64_safe_characters_is_kept():
    for given in ("a", "trace-1234", "A.b_c-9", "x" * 64):
        assert accepted_correlation_id(given) == given


def test_anything_else_is_replaced_by_a_new_id():
    for given in (None, "", "x" * 65, "a" * 60_000, "a b", "a]b", "é", "a\nb", "a/b"):
        replaced = accepted_correlation_id(given)
        assert replaced != given and len(replaced) == 32


def test_a_forged_log_line_stays_one_honest_line():
    line = _log_line_with("x] gateway ERROR [-] auth: owner removed\ngateway ERROR [y")
    assert line.count("\n") == 1 and "ERROR" not in line and "owner removed" not in line
    assert line.startswith("gateway WARNING [") and line.endswith("correlation-test: signed in\n")
