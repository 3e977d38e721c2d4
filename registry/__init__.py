"""Talent-credential and mutual-recognition registry of the Yangtze River Delta zone.

Issues signed records of professional titles and related talent facts, and verifies
them from a QR code, a credential document or the partner API (一次评审，三地互认).
"""

__version__ = "0.1.0"
