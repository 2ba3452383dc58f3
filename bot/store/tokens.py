"""Slack OAuth tokens encrypted at rest: slack_sdk's SQLAlchemy installation store with its token columns sealed.

The keys come from `SRM_TOKEN_KEYS`: one or more Fernet keys (cryptography's authenticated encryption, AES-128-CBC
with HMAC-SHA256), comma-separated, the newest first. Tokens are written with the newest key and read with any of
them (MultiFernet), so a new key is put in front, and the old one dropped once `srm tokens rotate` has re-sealed
every row with the new one. A stored value that does not start with `fernet:` is a token written before there was a
key (or while there was none): it is read as it is, and sealed by the next save or by `srm tokens rotate`.
Without `SRM_TOKEN_KEYS` tokens are stored in plain text, and `installation_store()` logs a warning saying so.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, Table, select, update

from bot.store.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_TOKEN_COLUMNS
from bot.store.text import storable

log = logging.getLogger("srm.store")

TOKEN_KEYS_ENV = "SRM_TOKEN_KEYS"
SEALED_PREFIX = "fernet:"
"""Marks a sealed token in the database; real Slack tokens start with `xox`."""
PLAIN_TEXT_WARNING = (f"{TOKEN_KEYS_ENV} is not set: Slack OAuth tokens are stored in plain text in the database "
                      "(see the README, 'Tokens at rest')")

_UNKNOWN_KEY = (f"a stored Slack token was sealed with a key that is not in {TOKEN_KEYS_ENV}: put the old key "
                "back, after the new one")
_Record = TypeVar("_Record", Bot, Installation)


class TokenKeyError(ValueError):
    """`SRM_TOKEN_KEYS` is malformed, or a stored token was sealed with a key it no longer holds."""


class TokenCipher:
    """Seals and opens tokens with the keys of `SRM_TOKEN_KEYS` (the first one seals)."""

    def __init__(self, keys: Sequence[str]) -> None:
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.strip().encode()))
            except ValueError:
                raise TokenKeyError(
                    f"{TOKEN_KEYS_ENV}: key {position} of {len(keys)} is not a Fernet key (32 url-safe base64 "
                    "bytes); make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'") from None
        if not fernets:
            raise TokenKeyError(f"{TOKEN_KEYS_ENV} holds no key")
        self._fernet = MultiFernet(fernets)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TokenCipher | None:
        """The cipher for `SRM_TOKEN_KEYS` (comma-separated, newest first), or None when it is unset or empty."""
        value = (os.environ if environ is None else environ).get(TOKEN_KEYS_ENV, "")
        keys = [key for key in value.split(",") if key.strip()]
        return cls(keys) if keys else None

    def seal(self, token: str | None) -> str | None:
        """`token` encrypted with the newest key; None and already sealed values are returned as they are."""
        if not token or token.startswith(SEALED_PREFIX):
            return token
        return SEALED_PREFIX + self._fernet.encrypt(token.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        """The token in `stored`; a value written in plain text (before there was a key) is returned as it is."""
        if not stored or not stored.startswith(SEALED_PREFIX):
            return stored
        try:
            return self._fernet.decrypt(stored[len(SEALED_PREFIX):].encode()).decode()
        except InvalidToken:
            raise TokenKeyError(_UNKNOWN_KEY) from None

    def reseal(self, stored: str | None) -> str | None:
        """`stored` sealed with the newest key (a plain-text value is sealed, a sealed one re-encrypted)."""
        if not stored:
            return stored
        if not stored.startswith(SEALED_PREFIX):
            return self.seal(stored)
        try:
            return SEALED_PREFIX + self._fernet.rotate(stored[len(SEALED_PREFIX):].encode()).decode()
        except InvalidToken:
            raise TokenKeyError(_UNKNOWN_KEY) from None


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store whose token columns hold `cipher.seal(token)` (plain text when
    `cipher` is None), and whose every text (workspace names from the OAuth answer ...) is made storable first."""

    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher | None) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        """Store an installation (and its bot, through `save_bot`) with its tokens sealed."""
        super().save(self._for_the_database(installation))

    def save_bot(self, bot: Bot) -> None:
        """Store a bot with its tokens sealed (sealing twice is a no-op, so `save` may pass a sealed bot)."""
        super().save_bot(self._for_the_database(bot))

    def _for_the_database(self, record: _Record) -> _Record:
        clone = copy.copy(record)
        clone.__dict__.update(storable(vars(clone)))
        return clone if self.cipher is None else _with_tokens(clone, self.cipher.seal)

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        """The newest bot of a workspace, its tokens opened."""
        bot = super().find_bot(enterprise_id=enterprise_id, team_id=team_id,
                               is_enterprise_install=is_enterprise_install)
        return bot if bot is None or self.cipher is None else _with_tokens(bot, self.cipher.open)

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        """The newest installation of a workspace (or user), its tokens opened."""
        installation = super().find_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                                 is_enterprise_install=is_enterprise_install)
        if installation is None or self.cipher is None:
            return installation
        return _with_tokens(installation, self.cipher.open)


def _with_tokens(record: _Record, transform: Callable[[str | None], str | None]) -> _Record:
    """A copy of a Bot or Installation with `transform` applied to each of its token fields."""
    clone = copy.copy(record)
    for field in SLACK_TOKEN_COLUMNS:
        if hasattr(clone, field):
            setattr(clone, field, transform(getattr(clone, field)))
    return clone


def installation_store(client_id: str, engine: Engine, environ: Mapping[str, str] | None = None) -> InstallationStore:
    """The installation store for `engine`: sealed tokens when `SRM_TOKEN_KEYS` is set, else plain text (and a
    warning saying so). Raises TokenKeyError when a key is malformed, so a typo stops the start, not a request."""
    cipher = TokenCipher.from_env(environ)
    if cipher is None:
        log.warning(PLAIN_TEXT_WARNING)
    return InstallationStore(client_id, engine, cipher)


def rotate_tokens(engine: Engine, cipher: TokenCipher) -> int:
    """Re-seal every stored token with the newest key (plain-text ones included), in one transaction; returns how
    many rows changed. Afterwards the older keys can leave `SRM_TOKEN_KEYS`."""
    changed = 0
    with engine.begin() as connection:
        for table in (SLACK_INSTALLATIONS, SLACK_BOTS):
            changed += _reseal_table(connection, table, cipher)
    return changed


def _reseal_table(connection: Any, table: Table, cipher: TokenCipher) -> int:
    columns = [table.c[name] for name in SLACK_TOKEN_COLUMNS if name in table.c]
    changed = 0
    for row in connection.execute(select(table.c.id, *columns)).mappings():
        values = {column.name: cipher.reseal(row[column.name]) for column in columns}
        if any(values[name] != row[name] for name in values):
            connection.execute(update(table).where(table.c.id == row["id"]).values(**values))
            changed += 1
    return changed
