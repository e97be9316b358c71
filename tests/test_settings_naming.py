"""One naming rule for settings: every config table's class is `<Name>Settings`, in a `settings.py`."""

import importlib
from importlib.metadata import entry_points

import modelforge.settings
from modelforge.settings import Section


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_settings_class_is_named_and_placed_by_the_rule():
    for entry in entry_points(group="modelforge"):
        package = entry.value.split(".")[0]
        try:
            importlib.import_module(f"{package}.settings")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.settings":
                raise  # a plugin without settings has no settings.py; any other failure counts
    ours = [c for c in subclasses(Section) if c.__module__.split(".")[0].startswith("modelforge")]
    assert len(ours) > 10  # the core's and the first-party plugins' were all found
    wrong = [
        f"{c.__module__}.{c.__name__}"
        for c in ours
        if not c.__name__.endswith("Settings") or c.__module__.rsplit(".", 1)[-1] != "settings"
    ]
    assert wrong == []
    assert modelforge.settings.CoreSettings in ours
