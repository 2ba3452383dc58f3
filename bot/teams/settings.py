"""Teams settings from the environment, and the start-up check that keeps unauthenticated mode out of production.

The Teams SDK reads `CLIENT_ID`, `CLIENT_SECRET` and `TENANT_ID` itself, and switches JWT validation off when
`DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS` is true. We read the same variables so that one object says what the
process will do, and refuse the dangerous combination (credentials present *and* validation off) before serving.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.numbers import ascii_int

UNAUTHENTICATED_ENV = "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
DEFAULT_PORT = 3978


def configured(env: Mapping[str, str] | None = None) -> bool:
    """True when the environment sets up the Teams bot (credentials, or the development flag set to true)."""
    env = os.environ if env is None else env
    return bool(env.get("CLIENT_ID")) or env.get(UNAUTHENTICATED_ENV, "").strip().lower() in _TRUE


class TeamsSettingsError(ValueError):
    """The environment asks for something the Teams process must not do."""


@dataclass(frozen=True)
class TeamsSettings:
    """What the Teams process needs: the bot's Entra app registration and the port."""

    client_id: str | None
    client_secret: str | None = field(repr=False)
    tenant_id: str | None
    allow_unauthenticated: bool
    port: int

    @property
    def has_credentials(self) -> bool:
        """True when any production credential is set (an app id or a secret)."""
        return bool(self.client_id or self.client_secret)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TeamsSettings:
        """Read the settings from `env` (default `os.environ`) and validate them; raises TeamsSettingsError."""
        env = os.environ if env is None else env
        flag = env.get(UNAUTHENTICATED_ENV, "").strip().lower()
        if flag not in _TRUE | _FALSE:
            raise TeamsSettingsError(f"{UNAUTHENTICATED_ENV} must be true or false, not {flag!r}")
        port_text = env.get("PORT", str(DEFAULT_PORT)).strip()
        port = ascii_int(port_text)
        if port is None or not 0 < port < 65536:
            raise TeamsSettingsError(f"PORT must be a TCP port number (1-65535), not {port_text!r}")
        settings = cls(
            client_id=env.get("CLIENT_ID") or None,
            client_secret=env.get("CLIENT_SECRET") or None,
            tenant_id=env.get("TENANT_ID") or None,
            allow_unauthenticated=flag in _TRUE,
            port=port,
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse unauthenticated mode next to production credentials, and a half-configured app registration."""
        if self.allow_unauthenticated and self.has_credentials:
            raise TeamsSettingsError(
                f"{UNAUTHENTICATED_ENV}=true is for local development only and is refused while CLIENT_ID or "
                "CLIENT_SECRET is set: unset one or the other"
            )
        if not self.allow_unauthenticated:
            missing = [name for name, value in (("CLIENT_ID", self.client_id),
                                                ("CLIENT_SECRET", self.client_secret)) if not value]
            if missing:
                raise TeamsSettingsError(
                    f"{' and '.join(missing)} not set: give the bot's app registration (see README, Microsoft "
                    f"Teams), or set {UNAUTHENTICATED_ENV}=true for local development without Teams"
                )
