"""Probes: /healthz (the process answers: liveness) and /readyz (it can reach what it needs: readiness)."""

from shared.health.readiness import Readiness
from shared.health.routes import install_probes

__all__ = ["Readiness", "install_probes"]
