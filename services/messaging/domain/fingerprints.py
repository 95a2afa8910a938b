"""What makes two requests under one idempotency key the same request."""

import hashlib
import json
from typing import Any


def request_fingerprint(**fields: Any) -> str:
    """A digest of the request's content: equal for the same fields and values, whatever the
    key order of the objects inside them."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
