"""The web client's component tests (Vitest, jsdom): formatting, the composer's counter, the tag shortcuts."""

import subprocess

from tests.conftest import REPO_ROOT

WEB = REPO_ROOT / "services" / "gateway" / "web"


def test_the_web_clients_component_tests_pass():
    finished = subprocess.run(["npm", "test", "--silent"], cwd=WEB, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, f"Vitest failed:\n{finished.stdout}\n{finished.stderr}"
    assert " passed" in finished.stdout, finished.stdout
