"""Workforce scheduling and omnichannel staffing optimizer."""

__version__ = "0.1.0"
