"""The web client in a real browser: each Playwright spec (services/gateway/web/e2e/*.spec.ts) against the running stack."""

import os
import shutil
import subprocess

import pytest

from tests.conftest import REPO_ROOT

WEB = REPO_ROOT / "services" / "gateway" / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SPECS = sorted(path.name for path in (WEB / "e2e").glob("*.spec.ts"))


@pytest.fixture(scope="session")
def browser_environment(stack) -> dict[str, str]:
    # A missing browser is a failure, never a skip: these tests are the web client's proof.
    assert shutil.which(CHROMIUM) or os.access(CHROMIUM, os.X_OK), f"Chromium is missing at {CHROMIUM} (apt-get install chromium)"
    assert (WEB / "dist" / "index.html").exists(), "the web client is not built (deploy/local/setup builds it)"
    return {**os.environ, **stack, "CHROMIUM_PATH": CHROMIUM, "CI": "1"}


@pytest.mark.parametrize("spec", SPECS)
def test_spec_passes_in_chromium(spec, browser_environment):
    finished = subprocess.run(
        ["npx", "--no-install", "playwright", "test", f"e2e/{spec}"],
        cwd=WEB, env=browser_environment, capture_output=True, text=True, timeout=600,
    )
    assert finished.returncode == 0, f"{spec} failed in Chromium:\n{finished.stdout}\n{finished.stderr}"
