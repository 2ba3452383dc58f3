"""Hardening tests: any input, hostile requests, failing dependencies."""
