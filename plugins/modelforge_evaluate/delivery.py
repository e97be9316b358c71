"""Send one JSON payload to a URL (POST) or a shell command (stdin), with retries, and log it.

Every attempt series ends as one row of the delivery log; a failure is recorded, never raised.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from typing import Any

from modelforge.db import Database
from modelforge.events import jsonable
from modelforge.redact import redact

from modelforge_evaluate.tables import WebhookDelivery


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def send(target: str, payload: dict[str, Any], timeout: float) -> None:
    """One attempt; raises with the reason when the target did not accept the payload."""
    body = json.dumps(payload, default=str).encode()
    if is_url(target):
        request = urllib.request.Request(
            target, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"HTTP {response.status}")
        return
    done = subprocess.run(target, shell=True, input=body, capture_output=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip()[-200:]
        raise RuntimeError(f"exit status {done.returncode}" + (f": {tail}" if tail else ""))


def deliver(db: Database, target: str, event: str, payload: dict[str, Any], *, retries: int,
            backoff: float, timeout: float, event_id: int | None = None) -> WebhookDelivery:
    """Try 1 + retries times, waiting backoff, 2·backoff, ... between; log how it ended."""
    error, attempts = None, 0
    for attempt in range(retries + 1):
        attempts = attempt + 1
        try:
            send(target, payload, timeout)
            error = None
            break
        except Exception as exc:  # a hook that fails is logged, never fatal
            error = f"{type(exc).__name__}: {exc}"
            if attempt < retries:
                time.sleep(backoff * 2**attempt)
    row = WebhookDelivery(
        event_id=event_id, event=event, target=redact(target),
        status="failed" if error else "delivered", attempts=attempts,
        error=redact(error) if error else None, payload=jsonable(payload),
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        session.refresh(row)
    return row
