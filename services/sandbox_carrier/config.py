from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Obviously fake: 5a4db0c5 reads "sandbox", the zeros make it unmistakable for a real account.
SANDBOX_ACCOUNT_SID = "AC5a4db0c5000000000000000000000000"
SANDBOX_AUTH_TOKEN = "sandbox-auth-token-not-a-secret"


class Settings(BaseSettings):
    """Everything the sandbox carrier can be told, from `CARRIER_*` variables or `.env`."""

    model_config = SettingsConfigDict(env_prefix="CARRIER_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8090
    # One log line per request: off by default, the control API's logs say what was sent and received.
    access_log: bool = False

    account_sid: str = Field(SANDBOX_ACCOUNT_SID, pattern=r"^AC[0-9a-fA-F]{32}$")
    auth_token: str = SANDBOX_AUTH_TOKEN

    number_seed: int = 2010
    status_delay_min_seconds: float = 0.0
    status_delay_max_seconds: float = 0.02
    simulated_call_seconds: int = 5

    webhook_timeout_seconds: float = 15.0
    webhook_max_attempts: int = 3
    webhook_retry_backoff_seconds: float = 0.05

    fault_timeout_seconds: float = 30.0
    honour_stop_keywords: bool = True
