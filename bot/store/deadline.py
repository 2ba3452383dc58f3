"""PostgreSQL connections that give up: a database that stops answering (a frozen server, a network path that
drops everything, a proxy that hangs) costs a caller at most a few seconds, never a thread for good.

Three limits, all from one number of seconds (`SRM_DB_TIMEOUT`): the server cancels a statement running longer
(`statement_timeout`, which also bounds lock waits); the kernel drops a connection whose sent data stays
unacknowledged (`tcp_user_timeout`) or whose peer stops answering keepalives; and the client stops waiting for
any reply (a statement, a commit, the pool's ping) a second after the server would have cancelled it, closing the
connection so the pool discards it. Connecting has its own limit (`connect_timeout`, at least 2 s in libpq).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors, sql

CLIENT_GRACE_S = 1.0
"""How much longer than the server's statement timeout the client waits: the server's cancel normally arrives first
and leaves the connection usable."""


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait for the server ends after `reply_timeout` seconds."""

    reply_timeout: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        """psycopg's wait with `reply_timeout` when the caller gave none; on expiry the connection is closed (it is
        mid-protocol, so unusable) and OperationalError raised, which SQLAlchemy treats as a disconnect."""
        if timeout is not None or self.reply_timeout is None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.reply_timeout)
        except errors._WaitTimeout as exc:  # psycopg's own wait deadline (psycopg >= 3.2)
            self.close()
            raise errors.OperationalError(f"the database did not answer within {self.reply_timeout:g} s") from exc


def connect(timeout_s: float, *args: Any, **params: Any) -> DeadlineConnection:
    """Open a connection (SQLAlchemy's `do_connect` arguments) with the three limits of `timeout_s` seconds (connect
    and keepalive settings the URL gives itself win). The statement timeout is a `SET` after connecting rather than
    a startup option, which connection poolers such as PgBouncer refuse."""
    milliseconds = int(timeout_s * 1000)
    params.setdefault("connect_timeout", max(2, round(timeout_s)))
    params.setdefault("tcp_user_timeout", milliseconds)
    params.setdefault("keepalives", 1)
    params.setdefault("keepalives_idle", max(1, round(timeout_s)))
    params.setdefault("keepalives_interval", 1)
    params.setdefault("keepalives_count", 3)
    connection = DeadlineConnection.connect(*args, **params)
    connection.reply_timeout = timeout_s + CLIENT_GRACE_S
    connection.execute(sql.SQL("SET statement_timeout = {}").format(milliseconds))
    connection.commit()
    return connection
