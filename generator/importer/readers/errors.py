"""The one error readers raise."""


class ReadError(Exception):
    """A file cannot be read as a notice (message in Chinese / English)."""
