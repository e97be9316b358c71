"""A tiny base with adapters, registered, and the server on an ephemeral loopback port."""

from __future__ import annotations

import pytest

from .tiny_models import build_tiny_models, register_tiny_models


@pytest.fixture
def plugins(plugins):
    import modelforge_serve.plugin as serve_plugin

    if not plugins.pm.has_plugin("serve"):
        plugins.register(serve_plugin, name="serve", source="first-party")
    return plugins


@pytest.fixture(scope="session")
def tiny_paths(tmp_path_factory):
    return build_tiny_models(tmp_path_factory.mktemp("tiny-models"))


@pytest.fixture
def registered(app, tiny_paths):
    register_tiny_models(app.db, tiny_paths)
    return tiny_paths


@pytest.fixture
def server(app, registered):
    from modelforge_serve.server import build_server

    running = build_server(app, "127.0.0.1", 0).start()
    yield running
    running.stop()


@pytest.fixture
def client(server):
    from openai import OpenAI

    return OpenAI(
        base_url=f"{server.url}/v1", api_key="not-needed-on-loopback", max_retries=0, timeout=60
    )
