from pathlib import Path

from modelforge.app import App
from modelforge.schema_doc import render

DOC = Path(__file__).parents[1] / "docs" / "schema.md"


def test_docs_schema_matches_the_migrations(plugins):
    """docs/schema.md is generated; regenerate it as its header says when this fails."""
    assert render(App(plugins).db) == DOC.read_text()
