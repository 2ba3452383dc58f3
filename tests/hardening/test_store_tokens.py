"""Fault 11 of issue 13: Slack OAuth tokens are sealed at rest (Fernet keys from SRM_TOKEN_KEYS, newest first),
rows written before there was a key still read, keys rotate, and without a key a warning says tokens are plain text.
On a SQLite file and on PostgreSQL, reading the columns back with SQL."""

from __future__ import annotations

import logging
import time

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, text
from store.conftest import db_url, store

from bot.cli import main
from bot.store.store import Store
from bot.store.tokens import (
    InstallationStore,
    TokenCipher,
    TokenKeyError,
    installation_store,
    rotate_tokens,
)

__all__ = ["db_url", "store"]
BOT_TOKEN = "xoxb-1234567890-0987654321-botbotbotbotbot"
USER_TOKEN = "xoxp-1234567890-0987654321-useruseruser"
REFRESH = "xoxe-1-" + "r" * 180  # a rotating refresh token: sealed, about 300 characters
CLIENT = "111.222"


def installation(team: str = "T1") -> Installation:
    return Installation(app_id="A1", enterprise_id=None, team_id=team, user_id="U1", bot_token=BOT_TOKEN,
                        bot_id="B1", bot_user_id="UB1", bot_refresh_token=REFRESH, bot_token_expires_in=43200,
                        user_token=USER_TOKEN, user_refresh_token=REFRESH, installed_at=time.time())


def stored_text(engine: Engine) -> str:
    """Every column of every row of the two token tables, as the database hands them out."""
    with engine.connect() as connection:
        rows = [*connection.execute(text("SELECT * FROM slack_installations")),
                *connection.execute(text("SELECT * FROM slack_bots"))]
    assert rows
    return repr(rows)


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher([Fernet.generate_key().decode()])


def test_the_stored_columns_do_not_hold_the_tokens_and_they_read_back(store: Store, cipher: TokenCipher) -> None:
    store.ensure_schema()
    sealed = InstallationStore(CLIENT, store.engine, cipher)
    sealed.save(installation())
    raw = stored_text(store.engine)
    for secret in (BOT_TOKEN, USER_TOKEN, REFRESH, "xoxb-", "xoxp-", "xoxe-"):
        assert secret not in raw
    bot = sealed.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and (bot.bot_token, bot.bot_refresh_token) == (BOT_TOKEN, REFRESH)
    found = sealed.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None
    assert (found.bot_token, found.user_token, found.user_refresh_token) == (BOT_TOKEN, USER_TOKEN, REFRESH)


def test_rows_written_in_plain_text_still_read_and_rotate_seals_them(store: Store, cipher: TokenCipher) -> None:
    store.ensure_schema()
    SQLAlchemyInstallationStore(client_id=CLIENT, engine=store.engine).save(installation())
    assert BOT_TOKEN in stored_text(store.engine)
    sealed = InstallationStore(CLIENT, store.engine, cipher)
    bot = sealed.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == BOT_TOKEN
    assert rotate_tokens(store.engine, cipher) == 2
    assert BOT_TOKEN not in stored_text(store.engine)
    assert rotate_tokens(store.engine, cipher) == 2  # re-sealed with the newest key again: a fresh ciphertext
    found = sealed.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.user_token == USER_TOKEN


def test_a_new_key_in_front_reads_the_old_rows_and_rotation_lets_the_old_key_go(store: Store) -> None:
    store.ensure_schema()
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    InstallationStore(CLIENT, store.engine, TokenCipher([old])).save(installation())
    both = TokenCipher([new, old])
    bot = InstallationStore(CLIENT, store.engine, both).find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == BOT_TOKEN
    only_new = InstallationStore(CLIENT, store.engine, TokenCipher([new]))
    with pytest.raises(TokenKeyError, match="put the old key back"):
        only_new.find_bot(enterprise_id=None, team_id="T1")
    rotate_tokens(store.engine, both)
    bot = only_new.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == BOT_TOKEN


def test_the_keys_come_from_the_environment_newest_first_and_a_bad_one_is_named_not_printed(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    store.ensure_schema()
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    chosen = installation_store(CLIENT, store.engine, {"SRM_TOKEN_KEYS": f" {new} , {old} "})
    assert chosen.cipher is not None
    chosen.save(installation())
    bot = InstallationStore(CLIENT, store.engine, TokenCipher([new])).find_bot(enterprise_id=None,
                                                                                        team_id="T1")
    assert bot is not None and bot.bot_token == BOT_TOKEN  # sealed with the first key
    with pytest.raises(TokenKeyError, match="key 2 of 2 is not a Fernet key") as error:
        installation_store(CLIENT, store.engine, {"SRM_TOKEN_KEYS": f"{new},not-a-key-secret"})
    assert "not-a-key-secret" not in str(error.value)
    with caplog.at_level(logging.WARNING, logger="srm.store"):
        plain = installation_store(CLIENT, store.engine, {})
    assert plain.cipher is None
    assert "SRM_TOKEN_KEYS is not set: Slack OAuth tokens are stored in plain text" in caplog.text


def test_a_workspace_name_with_a_lone_surrogate_is_stored(store: Store) -> None:
    store.ensure_schema()
    for cipher in (None, TokenCipher([Fernet.generate_key().decode()])):
        named = installation(team=f"T{cipher is None}")
        named.team_name = "Caf\ud800"
        installations = InstallationStore(CLIENT, store.engine, cipher)
        installations.save(named)
        found = installations.find_installation(enterprise_id=None, team_id=named.team_id)
        assert found is not None and (found.team_name, found.bot_token) == ("Caf\ufffd", BOT_TOKEN)


def test_srm_tokens_rotate_seals_the_plain_rows(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(db_url)
    store.ensure_schema()
    SQLAlchemyInstallationStore(client_id=CLIENT, engine=store.engine).save(installation())
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("SRM_TOKEN_KEYS", raising=False)
    assert main(["tokens", "rotate"]) == 1
    assert "SRM_TOKEN_KEYS is not set" in capsys.readouterr().err
    monkeypatch.setenv("SRM_TOKEN_KEYS", Fernet.generate_key().decode())
    assert main(["tokens", "rotate"]) == 0
    assert "2 row(s) re-sealed" in capsys.readouterr().out
    assert BOT_TOKEN not in stored_text(store.engine)
    store.engine.dispose()


def test_the_oauth_flow_seals_the_tokens_it_saves_when_keys_are_set(store: Store,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.slack.oauth import oauth_settings
    from bot.slack.settings import SlackSettings

    monkeypatch.setenv("SRM_TOKEN_KEYS", Fernet.generate_key().decode())
    store.ensure_schema()
    settings = SlackSettings(mode="http", bot_token=None, signing_secret="s", client_id=CLIENT, client_secret="c")
    oauth_settings(settings, store.engine).installation_store.save(installation())
    assert BOT_TOKEN not in stored_text(store.engine)
