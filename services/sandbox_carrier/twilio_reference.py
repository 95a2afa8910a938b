"""Where Twilio's official OpenAPI description lives: `<repo>/../shared/twilio-oai`, or $TWILIO_OAI_DIR."""

import json
import os
from pathlib import Path

OAI_DIR_VARIABLE = "TWILIO_OAI_DIR"
API_V2010_FILE = "twilio_api_v2010.json"
REPO_ROOT = Path(__file__).resolve().parents[2]


def twilio_oai_dir() -> Path:
    configured = os.environ.get(OAI_DIR_VARIABLE)
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "twilio-oai"


def load_api_v2010() -> dict:
    """Twilio's api.twilio.com/2010-04-01 description; a missing file is an error, never a skip."""
    path = twilio_oai_dir() / API_V2010_FILE
    if not path.is_file():
        raise FileNotFoundError(f"Twilio's OpenAPI description is not at {path}; set {OAI_DIR_VARIABLE}")
    return json.loads(path.read_text())
