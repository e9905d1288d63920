"""Pydantic schemas of API v1, one module per domain; contacts get their own output schemas."""
