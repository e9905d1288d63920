"""Comptoir: an open-source, self-hosted helpdesk."""

__version__ = "0.1.0"
