"""Files that ship beside the code: the embedded config.toml and the alembic migrations."""

from pathlib import Path

from modelforge.errors import ModelforgeError

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Path of a bundled file: inside the installed wheel, or at the root of a source checkout."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.exists():
            return candidate
    raise ModelforgeError(f"{name} is missing from this modelforge installation")
