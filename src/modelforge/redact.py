"""Keep secrets out of the database, the logs and error texts."""

import os
import re

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)", re.IGNORECASE)
_MIN_SECRET_LENGTH = 6  # shorter values would blank out ordinary words


def secret_values() -> list[str]:
    """Values of environment variables whose names say they hold a secret, longest first."""
    values = {
        value
        for name, value in os.environ.items()
        if _SECRET_NAME.search(name) and len(value) >= _MIN_SECRET_LENGTH
    }
    return sorted(values, key=len, reverse=True)


def redact(text: str) -> str:
    """Replace every secret value from the environment in text with a marker."""
    for value in secret_values():
        text = text.replace(value, "[redacted]")
    return text
