import importlib.metadata
import json

import pytest

from modelforge import hookimpl
from modelforge.app import App
from modelforge.errors import ModelforgeError
from modelforge.lifecycle import LifecycleRunner
from modelforge.plugins import load_plugins, model_types

FIRST_PARTY = {"audit", "generate", "arith"}


def test_first_party_plugins_arrive_through_the_entry_point_group(plugins):
    assert FIRST_PARTY <= set(plugins.info)
    assert {plugins.info[name].source for name in FIRST_PARTY} == {"first-party"}
    assert plugins.failures == []


def test_load_plugins_env_narrows_and_empty_loads_none(monkeypatch):
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "")
    assert load_plugins().info == {}
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "audit, arith")
    assert set(load_plugins().info) == {"audit", "arith"}


def fake_entry_points(monkeypatch, *entries):
    real = importlib.metadata.entry_points
    fakes = [importlib.metadata.EntryPoint(name, value, "modelforge") for name, value in entries]

    def entry_points(**selection):
        if selection.get("group") == "modelforge":
            return importlib.metadata.EntryPoints(fakes)
        return real(**selection)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_a_plugin_that_fails_to_import_is_named_and_its_stage_fails(monkeypatch, app):
    fake_entry_points(monkeypatch, ("broken", "modelforge_no_such_module_xyz"))
    monkeypatch.delenv("MODELFORGE_LOAD_PLUGINS")
    plugins = load_plugins()
    assert [failure.name for failure in plugins.failures] == ["broken"]
    assert "ModuleNotFoundError" in plugins.failures[0].error
    runner = LifecycleRunner(app.db, app.config, plugins)
    cycle = runner.run_cycle("arith")
    assert cycle.status == "failed"


def test_a_hook_with_a_misspelled_name_is_a_load_failure(monkeypatch, tmp_path):
    module = tmp_path / "misspelled_plugin.py"
    module.write_text("from modelforge import hookimpl\n\n@hookimpl\ndef generat(ctx):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    fake_entry_points(monkeypatch, ("misspelled", "misspelled_plugin"))
    plugins = load_plugins()
    assert plugins.failures[0].name == "misspelled"
    assert "generat" in plugins.failures[0].error
    assert "misspelled" not in plugins.info


def test_cli_reports_load_failures_without_a_traceback(monkeypatch, capsys):
    fake_entry_points(monkeypatch, ("broken", "modelforge_no_such_module_xyz"))
    from modelforge.cli.main import main

    with pytest.raises(SystemExit) as exit_status:
        main(["plugins", "--json"])
    assert exit_status.value.code == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert rows[0]["name"] == "broken" and "ModuleNotFoundError" in rows[0]["error"]
    assert "plugin 'broken' failed to load" in err
    with pytest.raises(SystemExit) as exit_status:
        main(["run", "--once"])
    assert exit_status.value.code == 1
    out, err = capsys.readouterr()
    assert "cycle 1 for arith: failed" in out
    assert "Traceback" not in out + err


def test_model_types_are_collected_and_duplicates_refused(plugins):
    class Type:
        name = "toy"

    class Registers:
        @hookimpl
        def register_model_types(self, register):
            register(Type())

    plugins.register(Registers(), name="one")
    assert "toy" in model_types(plugins)
    plugins.register(Registers(), name="two")
    with pytest.raises(ModelforgeError, match="registered twice"):
        model_types(plugins)


def test_a_plugin_raising_in_a_registration_hook_is_named(plugins):
    class Bad:
        @hookimpl
        def register_model_types(self, register):
            raise KeyError("boom")

    plugins.register(Bad(), name="bad")
    with pytest.raises(ModelforgeError, match="plugin 'bad' failed in register_model_types"):
        model_types(plugins)


def test_trace_prints_each_hook_call(bare_plugins, monkeypatch, capsys):
    plugins = bare_plugins
    app = App(plugins)

    class Loud:
        @hookimpl
        def audit(self):
            return {}

    plugins.register(Loud(), name="loud")
    monkeypatch.setenv("MODELFORGE_TRACE_PLUGINS", "1")
    LifecycleRunner(app.db, app.config, plugins).run_cycle("arith")
    assert "modelforge: loud.audit()" in capsys.readouterr().err


def test_every_hook_spec_documents_its_arguments_and_return():
    import inspect

    from modelforge import hookspecs

    specs = [
        value
        for value in vars(hookspecs).values()
        if inspect.isfunction(value) and hasattr(value, "modelforge_spec")
    ]
    assert len(specs) >= 15
    for spec in specs:
        doc = inspect.getdoc(spec) or ""
        assert "Returns:" in doc, spec.__name__
        for name in inspect.signature(spec).parameters:
            assert f"{name}:" in doc, (spec.__name__, name)


def test_contract_topics_are_published_once(bare_plugins):
    from modelforge.contracts import Contract, published

    class One:
        @hookimpl
        def publish_contract(self):
            return Contract(artifact_kinds={"audit_report": "report-a"})

    class Two:
        @hookimpl
        def publish_contract(self):
            return Contract(artifact_kinds={"audit_report": "report-b"})

    bare_plugins.register(One(), name="one")
    assert published(bare_plugins).artifact_kind("audit_report") == "report-a"
    assert published(bare_plugins).table("weaknesses") is None  # nobody publishes it
    bare_plugins.register(Two(), name="two")
    with pytest.raises(ModelforgeError, match="published by both 'one' and 'two'"):
        published(bare_plugins)
