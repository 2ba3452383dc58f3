"""Persistence (SQLAlchemy 2): a SQLite file by default, PostgreSQL when DATABASE_URL is set."""
