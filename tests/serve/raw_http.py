"""Raw HTTP for what the openai client will not send (broken JSON, odd methods, oversize)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    text: str

    def json(self):
        return json.loads(self.text)


def request(url: str, method: str, path: str, body: bytes | str = b"", **headers) -> Answer:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        data = body.encode() if isinstance(body, str) else body
        connection.request(
            method, path, body=data or None, headers={"Content-Type": "application/json", **headers}
        )
        response = connection.getresponse()
        return Answer(response.status, response.read().decode())
    finally:
        connection.close()
