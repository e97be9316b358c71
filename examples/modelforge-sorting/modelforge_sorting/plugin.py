"""The plugin: modelforge finds it through the `modelforge` entry point in pyproject.toml."""

from modelforge import hookimpl
from modelforge_sorting.model_type import Sorting


@hookimpl
def register_model_types(register):
    register(Sorting())
