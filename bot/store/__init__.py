"""Persistence (SQLAlchemy 2): a SQLite file by default, PostgreSQL when DATABASE_URL is set."""

import logging

# Alembic says at INFO, in every process at every start, which plugins it set up (when it is imported, so this
# comes first), which DDL mode it assumes and each step it runs: noise next to the one line per request. Its
# warnings still show, and a migration that runs gets one line of ours (bot/store/migrate.py).
logging.getLogger("alembic").setLevel(logging.WARNING)
