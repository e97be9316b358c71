"""What every provider adapter offers, and how an SDK's failure becomes a user's message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge.redact import redact
from modelforge_finetune.formats import Line
from modelforge_finetune.jobs import FinetuneJob
from modelforge_finetune.records import Record
from modelforge_finetune.settings import FinetuneSettings


class ProviderError(ModelforgeError):
    """A provider refused or failed a call; the message holds its HTTP status where known."""


class Unavailable(ModelforgeError):
    """This account cannot run what was asked (no credentials, method or model retired)."""


@dataclass
class Remote:
    """A job as the provider reports it, in our words."""

    status: str  # submitted | running | succeeded | failed | cancelled
    result_model: str | None = None
    error: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def http_status(exc: BaseException) -> int | None:
    for name in ("status_code", "code", "status"):
        value = getattr(exc, name, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    if isinstance(response, dict):  # botocore
        return response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return None


@contextmanager
def provider_call(provider: str, what: str) -> Iterator[None]:
    """Turn any SDK exception into a ProviderError naming the call and the HTTP status."""
    try:
        yield
    except ModelforgeError:
        raise
    except Exception as exc:  # noqa: BLE001 - every SDK failure becomes a message
        status = http_status(exc)
        where = f" (HTTP {status})" if status else ""
        message = str(exc).strip().splitlines()[0][:500] if str(exc).strip() else ""
        raise ProviderError(
            redact(f"{provider}: {what} failed{where}: {type(exc).__name__}: {message}")
        ) from None


class Adapter:
    """One paid provider. Subclasses import their SDK inside methods, never at module level."""

    name = ""

    def __init__(self, settings: FinetuneSettings):
        self.settings = settings

    def credentials(self) -> str | None:
        """Where credentials were found, in words (never a value), or None."""
        raise NotImplementedError

    def capabilities(self) -> dict[str, Any]:
        """Methods and base models this account can use, retirements, and the fallback."""
        raise NotImplementedError

    def choose(self, stage: str, model: str | None) -> tuple[str, str]:
        """The provider method and base model for our stage (model None: the configured one)."""
        raise NotImplementedError

    def configured(self, stage: str, base_model: str) -> tuple[str, str]:
        """What choose() would answer from the config alone (for estimates without credentials)."""
        raise NotImplementedError

    def epochs(self) -> int:
        return 1

    def line(self, record: Record, method: str, stage: str) -> Line:
        raise NotImplementedError

    def upload(self, job: FinetuneJob, path: Path) -> str:
        raise NotImplementedError

    def submit(self, job: FinetuneJob) -> str:
        """Create the job, or adopt the one already carrying job.name; return its provider id."""
        raise NotImplementedError

    def poll(self, job: FinetuneJob) -> Remote:
        raise NotImplementedError

    def cancel(self, job: FinetuneJob) -> None:
        raise NotImplementedError
