"""Gongkai (公开): an open-source platform for government information disclosure."""

__version__ = "0.1.0"
