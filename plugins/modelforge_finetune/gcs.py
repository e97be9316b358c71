"""Put a training file into Cloud Storage, where Vertex AI tuning reads it.

The JSON API's simple media upload over the standard library, with a bearer token from the
same Application Default Credentials the tuning client uses. STORAGE_EMULATOR_HOST (the
variable google-cloud-storage and the emulators honour) points it at an emulator.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from modelforge_finetune.providers.base import ProviderError

ENDPOINT = "https://storage.googleapis.com"
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)


def split_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("gs://") or "/" not in uri[5:]:
        raise ProviderError(f"gemini: not a gs://bucket/object URI: {uri!r}")
    bucket, _, name = uri[5:].partition("/")
    return bucket, name


def upload(path: Path, uri: str, token: str | None, attempts: int, timeout_s: float) -> str:
    """Upload path to uri (gs://bucket/object), retrying 429 and 5xx with backoff; return uri."""
    bucket, name = split_uri(uri)
    endpoint = os.environ.get("STORAGE_EMULATOR_HOST", ENDPOINT).rstrip("/")
    query = urllib.parse.urlencode({"uploadType": "media", "name": name})
    url = f"{endpoint}/upload/storage/v1/b/{urllib.parse.quote(bucket)}/o?{query}"
    headers = {"Content-Type": "application/jsonl"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = path.read_bytes()
    attempt = 0
    while True:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                response.read()
            return uri
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUSES or attempt >= attempts:
                raise ProviderError(
                    f"gemini: uploading to {uri} failed (HTTP {exc.code})"
                ) from None
        except OSError as exc:
            if attempt >= attempts:
                raise ProviderError(f"gemini: uploading to {uri} failed: {exc}") from None
        time.sleep(min(0.5 * 2**attempt, 8.0))
        attempt += 1
