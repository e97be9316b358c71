"""Config writing and a fake chat server (OpenAI, Anthropic and Gemini shapes) on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from modelforge_arith.model_type import Arith

from modelforge.modeltype import Problem, render_steps

ARITH = Arith()
TASK = re.compile(r"Task: (\d+[+*]\d+)")


def expert_answer(prompt: str) -> str:
    """What a perfect teacher writes for the task named in the prompt."""
    text = TASK.search(prompt)[1]
    a, op, b = re.match(r"(\d+)([+*])(\d+)", text).groups()
    category = "addition" if op == "+" else "multiplication"
    problem = Problem(category, len(a), 0, text, {"a": int(a), "b": int(b), "op": op})
    return render_steps(ARITH, ARITH.solve(problem))


@pytest.fixture(name="expert_answer")
def expert_answer_fixture():
    return expert_answer


@pytest.fixture
def write_config(home):
    def write(text: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text("[types.arith]\nenabled = true\n" + text)

    return write


class FakeChat:
    """Answers chat requests with `reply(prompt, system) -> str`, or a scripted failure first."""

    def __init__(self):
        self.reply = lambda prompt, system: expert_answer(prompt)
        self.failures: list[tuple[int, dict]] = []  # (status, headers) served before replies
        self.delay_s = 0.0
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _answer(self, path: str, body: dict) -> dict:
        if path.endswith("/chat/completions"):
            system = body["messages"][0]["content"]
            text = self.reply(body["messages"][-1]["content"], system)
            return {
                "id": "c1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": text},
                    }
                ],
            }
        if path.endswith("/messages"):
            text = self.reply(body["messages"][-1]["content"], body.get("system", ""))
            return {
                "id": "m1",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 1, "output_tokens": 1},
            }
        if ":generateContent" in path:
            prompt = body["contents"][0]["parts"][0]["text"]
            system = body.get("systemInstruction", {}).get("parts", [{}])[0].get("text", "")
            text = self.reply(prompt, system)
            return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}}]}
        raise KeyError(path)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                        }
                    )
                    failure = fake.failures.pop(0) if fake.failures else None
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                if failure:
                    status, headers = failure
                    payload = b'{"error": {"message": "scripted failure", "type": "server_error"}}'
                else:
                    status, headers = 200, {}
                    payload = json.dumps(fake._answer(self.path, body)).encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

        return Handler


@pytest.fixture
def fake_chat():
    fake = FakeChat()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
