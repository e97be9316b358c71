"""`/admin/adapters`: load, unload and list resident adapters while the server runs."""

from __future__ import annotations

from typing import Any

from modelforge_serve.openai_errors import bad_request
from modelforge_serve.pool import ModelPool
from modelforge_serve.routing import Router

ACTIONS = ("load", "unload")


class Admin:
    def __init__(self, router: Router, pool: ModelPool):
        self.router = router
        self.pool = pool

    def adapters(self) -> dict[str, Any]:
        return self.pool.listing()

    def change(self, body: Any) -> dict[str, Any]:
        """`{"action": "load"|"unload", "model": name}`; a load refuses adapters without
        SRL→RLVR lineage, a second load of a name refreshes it from the registry's folder."""
        if not isinstance(body, dict) or body.get("action") not in ACTIONS:
            raise bad_request(f"`action` must be one of: {', '.join(ACTIONS)}", param="action")
        name = body.get("model")
        if not isinstance(name, str) or not name:
            raise bad_request("`model` must name a registered adapter", param="model")
        if body["action"] == "unload":
            return {"action": "unload", "model": name, "unloaded": self.pool.unload(name)}
        target = self.router.target(name)
        if target.adapter is None:
            raise bad_request(
                f"'{name}' is not an adapter; full models load on first request", param="model"
            )
        return {"action": "load", **self.pool.load(target)}
