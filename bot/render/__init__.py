"""Renderers that turn a core `Result` into a platform's format."""
