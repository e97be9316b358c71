"""Protocol peers on 127.0.0.1 for the paid providers: each checks what the real API checks
(required fields, the JSONL shape of each method), so a wrong request fails the test."""

from __future__ import annotations

import itertools
import json
import re
import threading
import urllib.parse
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from modelforge_arith.model_type import Arith

from modelforge.modeltype import Problem, Step, render_steps

ARITH = Arith()


class Reject(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Peer:
    """A threaded HTTP server whose `route(method, path, query, body, headers)` answers JSON."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        self.failures: list[int] = []  # statuses served before the next real answers
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def route(self, method, path, query, body, headers) -> tuple[int, Any]:
        raise NotImplementedError

    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                parsed = urllib.parse.urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with peer.lock:
                    peer.requests.append((method, parsed.path))
                    failure = peer.failures.pop(0) if peer.failures else None
                if failure:
                    status, answer = failure, {"error": {"message": "try again", "code": failure}}
                else:
                    query = urllib.parse.parse_qs(parsed.query)
                    try:
                        status, answer = peer.route(method, parsed.path, query, body, self.headers)
                    except Reject as why:
                        status, answer = why.status, {"error": {"message": why.message}}
                raw = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        return Handler


def need(condition: bool, message: str, status: int = 400) -> None:
    if not condition:
        raise Reject(status, message)


# ---------------------------------------------------------------- OpenAI


class FakeOpenAI(Peer):
    """Files, fine-tuning jobs (with metadata filter), events, checkpoints, models."""

    def __init__(self, key: str, models: list[str]):
        super().__init__()
        self.key, self.models = key, models
        self.files: dict[str, bytes] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.malformed = False

    def finish(self, job_id: str, status: str = "succeeded") -> None:
        job = self.jobs[job_id]
        job["status"] = status
        if status == "succeeded":
            job["fine_tuned_model"] = f"ft:{job['model']}:org:{job['suffix']}:abc123"
        if status == "failed":
            job["error"] = {"code": "invalid_training_file", "message": "bad lines", "param": None}

    def route(self, method, path, query, body, headers):
        if headers.get("authorization") != f"Bearer {self.key}":
            raise Reject(401, f"Incorrect API key provided: {headers.get('authorization')}")
        if path == "/v1/models":
            return 200, {
                "object": "list",
                "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "openai"}
                    for m in self.models
                ],
            }
        if path == "/v1/files" and method == "POST":
            return 200, self._upload(body, headers)
        if path == "/v1/fine_tuning/jobs" and method == "POST":
            return 200, self._create(json.loads(body))
        if path == "/v1/fine_tuning/jobs" and method == "GET":
            wanted = {k[9:-1]: v[0] for k, v in query.items() if k.startswith("metadata[")}
            found = [
                j
                for j in self.jobs.values()
                if all((j.get("metadata") or {}).get(k) == v for k, v in wanted.items())
            ]
            return 200, {"object": "list", "data": found, "has_more": False}
        match = re.fullmatch(r"/v1/fine_tuning/jobs/([^/]+)(/cancel|/events|/checkpoints)?", path)
        need(match is not None and match[1] in self.jobs, f"no such job {path}", 404)
        job = self.jobs[match[1]]
        if self.malformed:
            return 200, b"{not json"
        if match[2] == "/cancel":
            job["status"] = "cancelled"
        if match[2] == "/events":
            return 200, {"object": "list", "data": [], "has_more": False}
        if match[2] == "/checkpoints":
            return 200, {"object": "list", "data": [], "has_more": False}
        return 200, job

    def _upload(self, body: bytes, headers) -> dict[str, Any]:
        message = BytesParser().parsebytes(
            b"Content-Type: " + headers["content-type"].encode() + b"\r\n\r\n" + body
        )
        fields = {
            part.get_param("name", header="content-disposition"): part
            for part in message.get_payload()
        }
        need("purpose" in fields and "file" in fields, "file and purpose are required")
        need(fields["purpose"].get_payload() == "fine-tune", "purpose must be fine-tune")
        content = fields["file"].get_payload(decode=True)
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = content
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": 0,
            "filename": fields["file"].get_filename(),
            "purpose": "fine-tune",
            "status": "processed",
        }

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        need(isinstance(body.get("model"), str), "model is required")
        need(body["model"] in self.models, f"model {body['model']} is not available", 404)
        need(body.get("training_file") in self.files, "training_file is not an uploaded file")
        need(len(body.get("suffix") or "") <= 64, "suffix is longer than 64 characters")
        method = body.get("method") or {"type": "supervised"}
        need(method["type"] in ("supervised", "dpo", "reinforcement"), "unknown method")
        lines = self.files[body["training_file"]].decode().splitlines()
        for number, raw in enumerate(lines, 1):
            line = json.loads(raw)
            roles = [m["role"] for m in line.get("messages", [])]
            need(bool(roles), f"line {number}: messages missing")
            if method["type"] == "supervised":
                need(roles[-1] == "assistant", f"line {number}: must end with assistant")
            if method["type"] == "reinforcement":
                need(roles[-1] == "user", f"line {number}: must end with user")
        if method["type"] == "reinforcement":
            grader = method["reinforcement"]["grader"]
            required = {
                "text_similarity": ("name", "input", "reference", "evaluation_metric"),
                "python": ("name", "source"),
                "string_check": ("name", "input", "reference", "operation"),
            }[grader["type"]]
            need(all(grader.get(k) for k in required), f"grader needs {required}")
            for key in re.findall(r"\{\{item\.(\w+)\}\}", json.dumps(grader)):
                need(all(key in json.loads(raw) for raw in lines), f"lines lack item.{key}")
        job_id = f"ftjob-{len(self.jobs) + 1}"
        self.jobs[job_id] = {
            "id": job_id,
            "object": "fine_tuning.job",
            "created_at": 0,
            "model": body["model"],
            "organization_id": "org",
            "result_files": [],
            "seed": 1,
            "status": "validating_files",
            "training_file": body["training_file"],
            "hyperparameters": {},
            "method": method,
            "metadata": body.get("metadata"),
            "suffix": body.get("suffix"),
            "fine_tuned_model": None,
            "error": None,
            "trained_tokens": None,
        }
        return self.jobs[job_id]


# ---------------------------------------------------------------- Vertex AI and Cloud Storage


class FakeVertex(Peer):
    """Vertex tuning jobs under /v1beta1/projects/P/locations/L and a GCS upload endpoint."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token
        self.objects: dict[str, bytes] = {}
        self.jobs: dict[str, dict[str, Any]] = {}

    def finish(self, name: str, state: str = "JOB_STATE_SUCCEEDED") -> None:
        job = self.jobs[name]
        job["state"] = state
        if state == "JOB_STATE_SUCCEEDED":
            job["tunedModel"] = {"model": f"{name}/models/7", "endpoint": f"{name}/endpoints/9"}

    def route(self, method, path, query, body, headers):
        need(headers.get("authorization") == f"Bearer {self.token}", "unauthenticated", 401)
        upload = re.fullmatch(r"/upload/storage/v1/b/([^/]+)/o", path)
        if upload:
            need(query.get("uploadType") == ["media"], "uploadType=media expected")
            self.objects[f"gs://{upload[1]}/{query['name'][0]}"] = body
            return 200, {"bucket": upload[1], "name": query["name"][0]}
        match = re.fullmatch(r"/v1beta1/(projects/[^/]+/locations/[^/]+)/tuningJobs", path)
        if match and method == "POST":
            return 200, self._create(match[1], json.loads(body))
        if match:
            return 200, {"tuningJobs": list(self.jobs.values())}
        name = path.removeprefix("/v1beta1/")
        if name.endswith(":cancel"):
            self.jobs[name[:-7]]["state"] = "JOB_STATE_CANCELLED"
            return 200, {}
        need(name in self.jobs, f"no tuning job {name}", 404)
        return 200, self.jobs[name]

    def _create(self, parent: str, body: dict[str, Any]) -> dict[str, Any]:
        need(isinstance(body.get("baseModel"), str), "baseModel is required")
        specs = [k for k in ("supervisedTuningSpec", "reinforcementTuningSpec") if k in body]
        need(len(specs) == 1, f"exactly one tuning spec expected, got {specs}")
        spec = body[specs[0]]
        uri = spec.get("trainingDatasetUri")
        need(uri in self.objects, f"trainingDatasetUri {uri} does not exist")
        for number, raw in enumerate(self.objects[uri].decode().splitlines(), 1):
            line = json.loads(raw)
            roles = [c["role"] for c in line["contents"]]
            if specs[0] == "supervisedTuningSpec":
                need(roles[-1] == "model", f"line {number}: must end with a model turn")
            else:
                need(roles[-1] == "user", f"line {number}: must end with a user turn")
                need(bool(line.get("references")), f"line {number}: references missing")
        if specs[0] == "reinforcementTuningSpec":
            reward = spec.get("singleRewardConfig") or {}
            scorers = [k for k in reward if k.endswith("Scorer")]
            need(len(scorers) == 1, "singleRewardConfig needs exactly one scorer")
            scorer = reward.get("codeExecutionRewardScorer", {})
            # ProtoJSON accepts a field's lowerCamel and its original snake_case name alike
            code = scorer.get("pythonCodeSnippet", scorer.get("python_code_snippet"))
            if code is not None:
                need("def evaluate(example, response)" in code, "evaluate() missing")
                self.reward = _load_reward(code)
        name = f"{parent}/tuningJobs/{len(self.jobs) + 1}"
        self.jobs[name] = {
            "name": name,
            "state": "JOB_STATE_PENDING",
            "baseModel": body["baseModel"],
            "labels": body.get("labels", {}),
            "tunedModelDisplayName": body.get("tunedModelDisplayName"),
        }
        return self.jobs[name]


def _load_reward(code: str):
    scope: dict[str, Any] = {}
    exec(compile(code, "reward", "exec"), scope)  # noqa: S102 - the job's own reward code
    return scope["evaluate"]


# ---------------------------------------------------------------- Anthropic Messages


def solve_text(text: str) -> str:
    a, op, b = re.fullmatch(r"(\d+)([+*])(\d+)", text.strip()).groups()
    category = "addition" if op == "+" else "multiplication"
    problem = Problem(category, len(a), 0, text, {"a": int(a), "b": int(b), "op": op})
    return render_steps(ARITH, [Step(s.action, title=s.title) for s in ARITH.solve(problem)])


class FakeAnthropic(Peer):
    """The Messages API; answers additions right, and multiplications right only when the
    prompt holds at least `shots_needed` multiplication examples."""

    def __init__(self, key: str, shots_needed: int = 3):
        super().__init__()
        self.key, self.shots_needed = key, shots_needed

    def route(self, method, path, query, body, headers):
        # anthropic 2.x sends the key as a bearer token; earlier SDKs used x-api-key
        sent = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
        need(sent == self.key, "invalid x-api-key", 401)
        need(path == "/v1/messages" and method == "POST", f"no route {path}", 404)
        body = json.loads(body)
        need(
            isinstance(body.get("model"), str) and isinstance(body.get("max_tokens"), int),
            "model and max_tokens are required",
        )
        roles = [m["role"] for m in body["messages"]]
        need(roles[0] == "user" and roles[-1] == "user", "messages must start and end with user")
        need(all(a != b for a, b in itertools.pairwise(roles)), "roles must alternate")
        question = body["messages"][-1]["content"]
        answer = solve_text(question)
        shown = sum("*" in m["content"] for m in body["messages"][:-1] if m["role"] == "user")
        if "*" in question and shown < self.shots_needed:
            answer = answer.replace("ans=", "ans=9")  # a wrong outcome
        return 200, {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": answer}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
