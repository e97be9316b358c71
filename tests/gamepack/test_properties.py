"""Invariants of the pack's verifiers that hold whatever the rules say (hypothesis):

- the expert passes its own verifier, step by step and as an outcome;
- changing one checked field of a passing outcome to another plausible value is refused by a
  rule of that field's stage;
- verification is deterministic and never raises, however malformed the outcome (a refusal
  with a rule and a reason);
- any line given to the step parser parses or raises StepFormatError, nothing else.

Derandomized, so a run is reproducible and the mutation benchmark sees the same examples.
"""

from __future__ import annotations

import copy
import json
import math
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from modelforge_gamepack.animal.model_type import Animal
from modelforge_gamepack.building.model_type import Building
from modelforge_gamepack.facial.model_type import Facial
from modelforge_gamepack.personality.model_type import Personality
from modelforge_gamepack.plant.model_type import Plant
from modelforge_gamepack.sound.model_type import Sound
from modelforge_gamepack.tree.model_type import Tree

from modelforge.modeltype import Step, StepFormatError, Verdict, verify_trajectory

TYPES = {
    t.name: t for t in (Personality(), Facial(), Building(), Animal(), Plant(), Tree(), Sound())
}


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types are built above, no plugins loaded per test."""


FAST = settings(
    # bench/mutation.py asks for fewer: every surviving mutant runs every property test
    max_examples=int(os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def problems(draw, name: str | None = None):
    model_type = TYPES[name] if name else TYPES[draw(st.sampled_from(sorted(TYPES)))]
    category = draw(st.sampled_from(model_type.categories))
    level = draw(st.sampled_from(category.levels))
    seed = draw(st.integers(0, 10**6))
    return model_type, model_type.generate_problem(category.name, level, seed)


def expert(model_type, problem) -> dict:
    return json.loads(model_type.outcome_of(problem, model_type.solve(problem)))


def judge(model_type, problem, outcome) -> Verdict:
    return model_type.verify_outcome(problem, json.dumps(outcome))


@pytest.mark.parametrize("name", sorted(TYPES))
@FAST
@given(st.data())
def test_the_expert_passes_its_own_verifier(name, data):
    model_type, problem = data.draw(problems(name))
    steps = model_type.solve(problem)
    assert verify_trajectory(model_type, problem, steps).ok
    assert judge(model_type, problem, expert(model_type, problem)).ok


# ------------------------------------------------------------ one field changed, its stage refuses
# For each type: the rules each stage applies (as the rules file names them), and the fields the
# rules pin down with, for each, values that look right but are not. A field the rules leave
# free (a room's name, a plant among several that fit, an extra layer) is changed only to values
# outside what the rules allow.

STAGE_RULES = {
    "personality": {
        "appraisal": {"appraisal-valence", "appraisal-threat"},
        "emotions": {"emotion-bounds", "emotion-update"},
        "action": {"action-known", "action-fits", "action-priority"},
        "intent": {"intent-fits-action"},
        "tone": {"tone-fits-emotion"},
    },
    "facial": {
        "action_units": {"au-prototype", "au-intensity"},
        "blendshapes": {"rig-mapping", "blendshape-weight"},
        "timing": {"timing-sum", "timing-range"},
    },
    "building": {
        "footprint": {"footprint"},
        "floors": {"floor-count", "floor-height"},
        "rooms": {
            "rooms-required",
            "room-in-footprint",
            "room-overlap",
            "room-min-size",
            "room-floor",
            "stairs",
            "area-total",
        },
        "total_area": {"area-total"},
        "doors": {"door-adjacent", "entrance", "reachable"},
        "windows": {"window-exterior", "window-required"},
        "facade": {"style-facade"},
        "lighting": {"lighting"},
    },
    "animal": {
        "activity": {"activity-pattern", "activity-season", "activity-time"},
        "locomotion": {"locomotion-species", "locomotion-terrain"},
        "interactions": {"interaction-coverage", "interaction-relation", "interaction-response"},
    },
    "plant": {
        "species": {"species-known", "species-biome", "species-terrain", "species-season"},
        "lsystem": {"lsystem-rules", "lsystem-bounds", "lsystem-angle", "lsystem-size"},
        "segments": {"lsystem-expansion"},
        "season": {"season-foliage", "season-flowers", "season-fruit"},
    },
    "tree": {
        "trunk": {"trunk-height", "trunk-diameter", "trunk-bark"},
        "branching": {"branch-levels", "branch-angle", "branch-ratio", "branch-count"},
        "foliage": {"foliage-season"},
        "sound": {"sound-cue", "sound-sway"},
    },
    "sound": {
        "category": {"category"},
        "mood": {"category"},
        "envelope": {"envelope-range", "envelope-duration", "envelope-mood"},
        "band": {"band-order", "band-subject"},
        "layers": {"layers-core", "layers-mood", "layers-known", "layers-count"},
        "loop": {"loop-rule"},
        "lufs": {"loudness-mood"},
    },
}


def _others(values, current):
    return [value for value in dict.fromkeys(values) if value != current]


def _moved(value, steps):
    return [value + step for step in steps] + [value - step for step in steps]


def _personality(o, rules, data):
    yield from ((("appraisal", "valence"), v) for v in _others(["negative", "positive"],
                                                              o["appraisal"]["valence"]))  # fmt: skip
    for v in _others(["low", "medium", "high"], o["appraisal"]["threat"]):
        yield ("appraisal", "threat"), v
    for name, value in o["emotions"].items():
        for v in _moved(value, (0.05, 0.2)):
            yield ("emotions", name), round(v, 2)
    for v in _others(rules["actions"], o["action"]):
        yield ("action",), v
    speaks = rules["actions"][o["action"]]["intents"]
    for spec in rules["actions"].values():
        for v in spec["intents"]:
            if v not in speaks:
                yield ("intent",), v
    for v in _others(["neutral", *rules["tone"]["by_emotion"].values()], o["tone"]):
        yield ("tone",), v


def _facial(o, rules, data):
    for unit, value in o["action_units"].items():
        for v in _moved(value, (0.1, 0.3)):
            yield ("action_units", unit), round(v, 2)
    for shape, value in o["blendshapes"].items():
        for v in _moved(value, (0.1, 0.3)):
            yield ("blendshapes", shape), round(v, 2)
    for part, value in o["timing"].items():
        for v in _moved(value, (10, 100)):
            yield ("timing", part), v


def _building(o, rules, data):
    for key in ("width", "depth", "area"):
        yield ("footprint", key), o["footprint"][key] + 1
    for index, floor in enumerate(o["floors"]):
        yield ("floors", index, "height"), floor["height"] + 0.4
    for index, room in enumerate(o["rooms"]):
        yield ("rooms", index, "w"), room["w"] + data["width"]
        yield ("rooms", index, "y"), room["y"] - 1
    yield ("total_area",), o["total_area"] + 1
    for index in range(len(o["doors"])):
        yield ("doors",), o["doors"][:index] + o["doors"][index + 1 :]
    for name in o["windows"]:
        yield ("windows", name), 0
    for style in rules["styles"].values():
        for key, v in style["facade"].items():
            if v != o["facade"][key]:
                yield ("facade", key), v
        yield from ((("lighting", "exterior"), v) for v in _others([style["exterior_light"]],
                                                                   o["lighting"]["exterior"]))  # fmt: skip
    for index in range(len(o["lighting"]["day_lit"])):
        day = o["lighting"]["day_lit"]
        yield ("lighting", "day_lit"), day[:index] + day[index + 1 :]


def _animal(o, rules, data):
    for v in _others(rules["patterns"], o["activity"]["pattern"]):
        yield ("activity", "pattern"), v
    for v in _others(["awake", "resting", "hibernating"], o["activity"]["state"]):
        yield ("activity", "state"), v
    spec, terrain = rules["species"][data["species"]], rules["terrains"][data["terrain"]]
    ways = {way for ways in rules["terrains"].values() for way in ways}
    for v in sorted(ways):
        if not (v in spec["locomotion"] and v in terrain):  # ruled out by species or terrain
            yield ("locomotion",), v
    for index, entry in enumerate(o["interactions"]):
        for v in _others(["predator", "prey", "neutral"], entry["relation"]):
            yield ("interactions", index, "relation"), v
        for v in _others(["flee", "hide", "watch", "hunt", "ignore"], entry["response"]):
            yield ("interactions", index, "response"), v


def _plant(o, rules, data):
    for name, spec in rules["species"].items():
        if (
            data["biome"] not in spec["biomes"]
            or data["terrain"] not in spec["terrains"]
            or data["season"] not in spec["present"]
        ):
            yield ("species",), name
    for v in _moved(o["lsystem"]["angle"], (1, 5)):
        yield ("lsystem", "angle"), v
    yield ("lsystem", "iterations"), o["lsystem"]["iterations"] + 1
    yield ("lsystem", "axiom"), "X" if o["lsystem"]["axiom"] == "F" else "F"
    for v in _moved(o["segments"], (1, 10)):
        yield ("segments",), v
    looks = {look for kind in rules["foliage"].values() for look in kind.values()}
    for v in _others(sorted(looks), o["season"]["foliage"]):
        yield ("season", "foliage"), v
    yield ("season", "flowers"), not o["season"]["flowers"]
    yield ("season", "fruit"), not o["season"]["fruit"]


def _tree(o, rules, data):
    spec = rules["species"][data["species"]]
    for key in ("height_m", "diameter_cm"):
        for v in _moved(o["trunk"][key], (0.5, 5)):
            yield ("trunk", key), round(v, 1)
    for v in _others([s["bark"] for s in rules["species"].values()], o["trunk"]["bark"]):
        yield ("trunk", "bark"), v
    for index in range(len(o["branching"])):
        yield ("branching", index, "level"), index + 2
        for key, step in (("angle_deg", 1), ("length_ratio", 0.05), ("count", 1)):
            low, high = spec[key]
            yield ("branching", index, key), round(low - step, 2)
            yield ("branching", index, key), round(high + step, 2)
    colours = {c for s in rules["species"].values() for c in s["colours"].values()}
    for v in _others(sorted(colours), o["foliage"]["colour"]):
        yield ("foliage", "colour"), v
    for v in _moved(o["foliage"]["density"], (0.1, 0.5)):
        yield ("foliage", "density"), round(v, 2)
    cues = {c for canopy in rules["wind"]["cues"].values() for c in canopy.values()}
    for v in _others(sorted(cues), o["sound"]["cue"]):
        yield ("sound", "cue"), v
    for v in _moved(o["sound"]["sway_deg"], (1, 5)):
        yield ("sound", "sway_deg"), round(v, 1)


def _sound(o, rules, data):
    for v in _others(rules["category_rules"], o["category"]):
        yield ("category",), v
    for v in _others(rules["moods"], o["mood"]):
        yield ("mood",), v
    mood = rules["moods"][data["mood"]]
    for key in ("attack_ms", "decay_ms", "release_ms"):
        yield ("envelope", key), mood[key][0] - 1
        yield ("envelope", key), mood[key][1] + 1
    yield ("envelope", "sustain"), round(mood["sustain"][0] - 0.05, 2)
    yield ("envelope", "sustain"), round(mood["sustain"][1] + 0.05, 2)
    low, high = rules["subjects"][data["subject"]]["band_hz"]
    yield ("band", "low_hz"), low - 10
    yield ("band", "high_hz"), high + 10
    core = rules["subjects"][data["subject"]]["core"]
    yield ("layers",), [layer for layer in o["layers"] if layer != core]
    yield ("layers",), [*o["layers"], "kazoo"]
    yield ("loop",), not o["loop"]
    yield ("lufs",), mood["lufs"][0] - 1
    yield ("lufs",), mood["lufs"][1] + 1


WRONG_VALUES = {
    "personality": _personality,
    "facial": _facial,
    "building": _building,
    "animal": _animal,
    "plant": _plant,
    "tree": _tree,
    "sound": _sound,
}


def _changed(outcome, path, value):
    out = copy.deepcopy(outcome)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_stage_has_the_rules_it_names(name):
    rules = set(TYPES[name].rules.data["rules"])
    for stage_rules in STAGE_RULES[name].values():
        assert stage_rules <= rules


@pytest.mark.parametrize("name", sorted(TYPES))
@FAST
@given(st.data())
def test_one_checked_field_changed_is_refused_by_its_stage(name, data):
    model_type, problem = data.draw(problems(name))
    outcome = expert(model_type, problem)
    changes = list(WRONG_VALUES[model_type.name](outcome, model_type.rules.data, problem.data))
    path, value = data.draw(st.sampled_from(changes))
    wrong = _changed(outcome, path, value)
    assume(wrong != outcome)  # e.g. a room's y of 0 moved to -1 is a change; 1 == 1.0 is not
    verdict = judge(model_type, problem, wrong)
    assert not verdict.ok, (path, value)
    assert verdict.rule in STAGE_RULES[model_type.name][path[0]], (path, value, verdict)
    assert verdict.reason


# Objects whose keys the rules fix: one key missing or one too many is `format`, whatever the
# values. (Keys that others are matched by, a level's number or an interaction's partner, fail
# their own rule first and are left out.)
FIXED_KEYS = {
    "personality": [("appraisal",)],
    "facial": [("timing",)],
    "building": [("footprint",), ("rooms", 0)],
    "animal": [("activity",), ("interactions", 0)],
    "plant": [("lsystem",), ("season",)],
    "tree": [("trunk",), ("branching", 0), ("sound",)],
    "sound": [("envelope",), ("band",)],
}
MATCHED_BY = {"level", "with"}


@pytest.mark.parametrize("name", sorted(TYPES))
@FAST
@given(st.data())
def test_a_key_missing_or_added_is_a_format_refusal(name, data):
    model_type, problem = data.draw(problems(name))
    outcome = expert(model_type, problem)
    paths = [path for path in FIXED_KEYS[name] if _has(outcome, path)]
    path = data.draw(st.sampled_from(paths))
    wrong = copy.deepcopy(outcome)
    target = _at(wrong, path)
    if data.draw(st.booleans()):
        del target[data.draw(st.sampled_from(sorted(set(target) - MATCHED_BY)))]
    else:
        target["colour_of_the_sky"] = "blue"
    verdict = judge(model_type, problem, wrong)
    assert (verdict.ok, verdict.rule) == (False, "format"), (path, verdict)
    assert verdict.reason


def _has(value, path) -> bool:
    try:
        _at(value, path)
    except (IndexError, KeyError):
        return False
    return True


def _at(value, path):
    for key in path:
        value = value[key]
    return value


# ------------------------------------------------------------ malformed outcomes never raise

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaf_paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaf_paths(inner, (*path, index))
    if path:
        yield path


def _refusal_or_pass(verdict):
    assert isinstance(verdict, Verdict)
    if not verdict.ok:
        assert verdict.rule and verdict.reason


@FAST
@given(st.data())
def test_a_malformed_outcome_is_refused_the_same_way_every_time(data):
    model_type, problem = data.draw(problems())
    outcome = expert(model_type, problem)
    path = data.draw(st.sampled_from(list(_leaf_paths(outcome))))
    text = json.dumps(_changed(outcome, path, data.draw(json_values)))
    first = model_type.verify_outcome(problem, text)
    _refusal_or_pass(first)
    assert model_type.verify_outcome(problem, text) == first


@FAST
@given(problems(), st.one_of(json_values.map(json.dumps), st.text(max_size=40)))
def test_any_text_as_the_outcome_is_a_verdict(case, text):
    model_type, problem = case
    _refusal_or_pass(model_type.verify_outcome(problem, text))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,  # past the decoder's recursion
        json.dumps({"x": math.inf}),
        "Infinity",
        "NaN",
        "",
        "null",
    ],
)
@pytest.mark.parametrize("name", sorted(TYPES))
def test_pathological_outcomes_are_refused(name, text):
    model_type = TYPES[name]
    category = model_type.categories[0]
    problem = model_type.generate_problem(category.name, category.levels[0], 0)
    verdict = model_type.verify_outcome(problem, text)
    assert (verdict.ok, verdict.rule) == (False, "format")


@pytest.mark.parametrize("name", sorted(TYPES))
def test_infinity_or_a_huge_number_in_a_field_is_refused_not_raised(name):
    model_type = TYPES[name]
    category = model_type.categories[0]
    problem = model_type.generate_problem(category.name, category.levels[0], 0)
    outcome = expert(model_type, problem)
    for path in _leaf_paths(outcome):
        for value in (math.inf, -math.inf, 10**400):
            verdict = judge(model_type, problem, _changed(outcome, path, value))
            assert not verdict.ok, (path, value)
            assert verdict.rule and verdict.reason


# ------------------------------------------------------------ steps


@FAST
@given(st.sampled_from(sorted(TYPES)), st.text(max_size=80))
def test_any_line_parses_or_raises_step_format_error(name, text):
    model_type = TYPES[name]
    try:
        step = model_type.parse_step(text)
    except StepFormatError:
        return
    assert isinstance(step, Step) and step.title in model_type.titles


@FAST
@given(st.sampled_from(sorted(TYPES)), st.data())
def test_a_title_with_any_json_parses_or_raises_step_format_error(name, data):
    model_type = TYPES[name]
    title = data.draw(st.sampled_from(model_type.titles))
    body = data.draw(st.one_of(json_values.map(json.dumps), st.text(max_size=30)))
    try:
        step = model_type.parse_step(f"{title}: {body}")
    except StepFormatError:
        return
    assert step.title == title


@pytest.mark.parametrize("name", sorted(TYPES))
def test_a_step_nested_past_the_decoder_is_a_format_error(name):
    model_type = TYPES[name]
    with pytest.raises(StepFormatError):
        model_type.parse_step(f"{model_type.titles[0]}: " + "[" * 100_000)
    step = Step("[" * 100_000, title=model_type.titles[0])
    problem = model_type.generate_problem(model_type.categories[0].name, 1, 0)
    assert model_type.verify_step(problem, [], step).rule == "format"


# ------------------------------------------------------------ the kit: getters, step line


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        ("personality", ("action",), 5),  # a number for a string
        ("personality", ("action",), ""),  # an empty string
        ("personality", ("appraisal",), ["negative", "low"]),  # a list for an object
        ("sound", ("layers",), "drone"),  # a string for a list
        ("sound", ("lufs",), "loud"),  # a string for a number
        ("sound", ("lufs",), True),  # a bool is no number
        ("plant", ("season", "flowers"), "yes"),  # a string for true/false
        ("tree", ("trunk", "height_m"), "tall"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_a_format_refusal(name, path, value):
    model_type = TYPES[name]
    category = model_type.categories[0]
    problem = model_type.generate_problem(category.name, category.levels[0], 1)
    verdict = judge(model_type, problem, _changed(expert(model_type, problem), path, value))
    assert (verdict.ok, verdict.rule) == (False, "format"), verdict
    assert verdict.reason


def test_the_canonical_outcome_keeps_unicode_and_sorts_keys():
    from modelforge_gamepack.kit.lines import canonical

    assert canonical({"b": "é", "a": [1, 2]}) == '{"a":[1,2],"b":"é"}'


def test_a_step_line_keeps_its_rationale_and_renders_without_one():
    model_type = TYPES["tree"]
    step = model_type.parse_step('trunk: {"b": 1, "a": 2}  # X marks the spot')
    assert (step.action, step.rationale) == ('{"a":2,"b":1}', "X marks the spot")
    bare = Step('{"a":2}', title="trunk")
    assert model_type.render_step(bare) == 'trunk: {"a":2}'
    assert model_type.render_step(step) == 'trunk: {"a":2,"b":1}  # X marks the spot'


def test_a_step_that_holds_no_object_reaches_no_outcome():
    model_type = TYPES["personality"]
    problem = model_type.generate_problem("hostile", 1, 0)
    steps = model_type.solve(problem)
    listed = Step('["appraisal"]', title=steps[0].title)
    assert model_type.outcome_of(problem, [listed, *steps[1:]]) is None
    assert model_type.verify_step(problem, [], listed).rule == "format"
