"""The verifiers are rewards: plausible but wrong outcomes are refused, naming the broken rule.

Each case finds a generated problem with a property, forges a wrong outcome from the expert's,
and expects the rule. The properties are read from the rules as stated or from the expert's
own decisions, never from the domain modules the verifier shares with the expert; the expert
itself is checked against hand-worked outcomes in test_hand_<type>.py. The same wrong decision written as a step is refused by verify_step with
the same rule, given the expert's earlier steps.
"""

import pytest
from modelforge_gamepack.kit.lines import canonical

from modelforge.modeltype import Step

from .conftest import expert_outcome, find, judge


def _set(path, value):
    """A mutation that sets outcome[path[0]][path[1]]... to value (value(o, p) if callable)."""

    def mutate(o, p, rules):
        target = o
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value(o, p, rules) if callable(value) else value

    return mutate


def _all(*mutations):
    def mutate(o, p, rules):
        for m in mutations:
            m(o, p, rules)

    return mutate


def _first_room(o, kind):
    return next(room for room in o["rooms"] if room["kind"] == kind)


def _expert(p, rules) -> dict:
    """The personality expert's decisions: which problems a case applies to, never what is right
    (test_hand_personality.py checks the expert against outcomes worked out by hand)."""
    from modelforge_gamepack.personality import procedure

    outcome = {}
    for written, _ in procedure.solve(rules, p.data):
        outcome.update(written)
    return outcome


def _threat_score(p, rules) -> float:
    """The threat score as rules.toml states it: event threat x intensity x (1.5 - courage)."""
    event = rules["events"][p.data["event"]]
    return event["threat"] * p.data["intensity"] * (1.5 - p.data["traits"]["courage"])


CASES = [
    # ---------------------------------------------------------------- personality
    (
        "personality",
        "attack by a mild NPC",
        ["action"],
        lambda p, r: p.data["traits"]["aggression"] < 0.6,  # attack needs aggression >= 0.6
        _set(["action"], "attack"),
        "action-fits",
    ),
    (
        "personality",
        "a lower-priority action",
        ["action"],
        lambda p, r: _expert(p, r)["action"] != "observe",
        _set(["action"], "observe"),  # it always fits, with the last priority
        "action-priority",
    ),
    (
        "personality",
        "an invented action",
        ["action"],
        lambda p, r: True,
        _set(["action"], "dance"),
        "action-known",
    ),
    (
        "personality",
        "anger falls after an insult",
        ["emotions"],
        lambda p, r: p.data["event"] == "insulted" and p.data["emotions"]["anger"] >= 0.1,
        _set(["emotions", "anger"], lambda o, p, r: round(p.data["emotions"]["anger"] - 0.1, 2)),
        "emotion-update",
    ),
    (
        "personality",
        "joy leaps to 1",
        ["emotions"],
        lambda p, r: p.data["emotions"]["joy"] < 0.4,
        _set(["emotions", "joy"], 1.0),
        "emotion-bounds",
    ),
    (
        "personality",
        "an insult read as good news",
        ["appraisal"],
        lambda p, r: p.data["event"] == "insulted",
        _set(["appraisal", "valence"], "positive"),
        "appraisal-valence",
    ),
    (
        "personality",
        "an attack read as harmless",
        ["appraisal"],
        lambda p, r: _threat_score(p, r) >= 0.6 + 1e-9,  # high from 0.6
        _set(["appraisal", "threat"], "low"),
        "appraisal-threat",
    ),
    (
        "personality",
        "thanks while attacking",
        ["intent"],
        lambda p, r: _expert(p, r)["action"] == "attack",
        _set(["intent"], "thank"),
        "intent-fits-action",
    ),
    (
        "personality",
        "a warm tone in anger",
        ["tone"],
        lambda p, r: _expert(p, r)["tone"] == "hostile",
        _set(["tone"], "warm"),
        "tone-fits-emotion",
    ),
    # ---------------------------------------------------------------- facial
    (
        "facial",
        "AU4 instead of AU6 for happiness",
        ["action_units"],
        lambda p, r: p.data["blend"] == {"happiness": 1.0},
        lambda o, p, r: o["action_units"].update(AU4=o["action_units"].pop("AU6")),
        "au-prototype",
    ),
    (
        "facial",
        "surprise without the jaw drop",
        ["action_units"],
        lambda p, r: p.data["blend"] == {"surprise": 1.0},
        lambda o, p, r: o["action_units"].pop("AU26"),
        "au-prototype",
    ),
    (
        "facial",
        "a smile too strong",
        ["action_units"],
        lambda p, r: p.data["blend"] == {"happiness": 1.0} and p.data["intensity"] < 0.6,
        _set(["action_units", "AU12"], 0.95),
        "au-intensity",
    ),
    (
        "facial",
        "generic names on the arkit rig",
        ["blendshapes"],
        lambda p, r: p.data["rig"] == "arkit" and p.data["blend"] == {"happiness": 1.0},
        lambda o, p, r: o.update(blendshapes={"cheek_raise": 0.5, "lip_corner_pull": 0.5}),
        "rig-mapping",
    ),
    (
        "facial",
        "a blendshape at the wrong weight",
        ["blendshapes"],
        lambda p, r: p.data["rig"] == "generic" and "happiness" in p.data["blend"],
        _set(["blendshapes", "lip_corner_pull"], 0.0),
        "blendshape-weight",
    ),
    (
        "facial",
        "phases longer than the expression",
        ["timing"],
        lambda p, r: True,
        _set(["timing", "apex_ms"], lambda o, p, r: o["timing"]["apex_ms"] + 100),
        "timing-sum",
    ),
    (
        "facial",
        "a slow surprise",
        ["timing"],
        lambda p, r: p.data["blend"] == {"surprise": 1.0} and p.data["duration_ms"] >= 800,
        lambda o, p, r: o.update(
            timing={"onset_ms": 400, "offset_ms": 200, "apex_ms": p.data["duration_ms"] - 600}
        ),
        "timing-range",
    ),
    # ---------------------------------------------------------------- building
    (
        "building",
        "a room with no way in",
        ["doors"],
        lambda p, r: True,
        lambda o, p, r: o["doors"].pop(),
        "reachable",
    ),
    (
        "building",
        "a door through rooms that do not touch",
        ["doors"],
        lambda p, r: p.category == "cottage" and len(p.data["rooms"]) >= 3,
        lambda o, p, r: o["doors"].append(["hall", o["rooms"][-1]["name"]]),
        "door-adjacent",
    ),
    (
        "building",
        "no front door into the hall",
        ["doors"],
        lambda p, r: True,
        lambda o, p, r: o["doors"].remove(["outside", "hall"]),
        "entrance",
    ),
    (
        "building",
        "two rooms on top of each other",
        ["rooms"],
        lambda p, r: p.category == "cottage",
        lambda o, p, r: o["rooms"][2].update(x=o["rooms"][2]["x"] - 1),
        "room-overlap",
    ),
    (
        "building",
        "a forgotten bedroom",
        ["rooms", "total_area"],
        lambda p, r: p.data["rooms"].count("bedroom") == 1 and p.data["floors"] == 1,
        lambda o, p, r: o.update(rooms=[x for x in o["rooms"] if x["kind"] != "bedroom"]),
        "rooms-required",
    ),
    (
        "building",
        "a kitchen upstairs",
        ["rooms"],
        lambda p, r: p.data["floors"] > 1 and "kitchen" in p.data["rooms"],
        lambda o, p, r: _first_room(o, "kitchen").update(floor=1),
        "room-floor",
    ),
    (
        "building",
        "a bedroom too small",
        ["rooms"],
        lambda p, r: "bedroom" in p.data["rooms"],
        lambda o, p, r: _first_room(o, "bedroom").update(w=1),
        "room-min-size",
    ),
    (
        "building",
        "a landing beside the stairs",
        ["rooms"],
        lambda p, r: p.data["floors"] > 1,
        lambda o, p, r: _first_room(o, "landing").update(x=1),
        "stairs",
    ),
    (
        "building",
        "a room beyond the lot",
        ["rooms"],
        lambda p, r: True,
        lambda o, p, r: o["rooms"][-1].update(w=o["rooms"][-1]["w"] + 5),
        "room-in-footprint",
    ),
    (
        "building",
        "a wrong floor area total",
        ["total_area"],
        lambda p, r: True,
        _set(["total_area"], lambda o, p, r: o["total_area"] + 7),
        "area-total",
    ),
    (
        "building",
        "a footprint of the wrong size",
        ["footprint"],
        lambda p, r: True,
        _set(["footprint", "area"], lambda o, p, r: o["footprint"]["area"] + 1),
        "footprint",
    ),
    (
        "building",
        "modern floors in a medieval house",
        ["floors"],
        lambda p, r: p.data["style"] == "medieval",
        lambda o, p, r: [f.update(height=3.0) for f in o["floors"]],
        "floor-height",
    ),
    (
        "building",
        "a windowless kitchen",
        ["windows"],
        lambda p, r: "kitchen" in p.data["rooms"],
        lambda o, p, r: o["windows"].pop("kitchen"),
        "window-required",
    ),
    (
        "building",
        "a flat roof on a medieval house",
        ["facade"],
        lambda p, r: p.data["style"] == "medieval",
        _set(["facade", "roof"], "flat"),
        "style-facade",
    ),
    (
        "building",
        "a storeroom lit all night",
        ["lighting"],
        lambda p, r: True,
        _set(
            ["lighting", "night_lit"], lambda o, p, r: sorted(o["lighting"]["day_lit"] + ["hall"])
        ),
        "lighting",
    ),
    # ---------------------------------------------------------------- animal
    (
        "animal",
        "an owl awake at midday",
        ["activity"],
        lambda p, r: p.data["species"] == "owl" and p.data["time"] == "day",
        _set(["activity", "state"], "awake"),
        "activity-time",
    ),
    (
        "animal",
        "a bear awake in winter",
        ["activity"],
        lambda p, r: p.data["species"] == "bear" and p.data["season"] == "winter",
        _set(["activity", "state"], "awake"),
        "activity-season",
    ),
    (
        "animal",
        "a wolf called diurnal",
        ["activity"],
        lambda p, r: p.data["species"] == "wolf",
        _set(["activity", "pattern"], "diurnal"),
        "activity-pattern",
    ),
    (
        "animal",
        "a flying deer",
        ["locomotion"],
        lambda p, r: p.data["species"] == "deer",
        _set(["locomotion"], "fly"),
        "locomotion-species",
    ),
    (
        "animal",
        "a bear swimming up a mountain",
        ["locomotion"],
        lambda p, r: p.data["species"] == "bear" and p.data["terrain"] == "mountain",
        _set(["locomotion"], "swim"),
        "locomotion-terrain",
    ),
    (
        "animal",
        "grazing with a predator close",
        ["plan"],
        lambda p, r: "flee" in expert_plan(p, r),
        lambda o, p, r: o["plan"].pop(0),
        "behaviour-threat",
    ),
    (
        "animal",
        "a hunting herbivore",
        ["plan"],
        lambda p, r: (
            expert_plan(p, r) == ["forage"]
            and r["species"][p.data["species"]]["diet"] == "herbivore"
        ),
        _set(["plan"], ["hunt"]),
        "behaviour-diet",
    ),
    (
        "animal",
        "feeding while asleep",
        ["plan"],
        lambda p, r: expert_plan(p, r) == ["rest"],
        _set(["plan"], ["forage"]),
        "behaviour-activity",
    ),
    (
        "animal",
        "a sated animal feeding",
        ["plan"],
        lambda p, r: expert_plan(p, r) == ["patrol"],
        _set(["plan"], ["forage"]),
        "behaviour-hunger",
    ),
    (
        "animal",
        "a hibernating animal resting",
        ["plan"],
        lambda p, r: expert_plan(p, r) == ["hibernate"],
        _set(["plan"], ["rest"]),
        "behaviour-season",
    ),
    (
        "animal",
        "a rabbit ignoring a fox nearby",
        ["interactions"],
        lambda p, r: (
            any(n["species"] == "fox" and n["distance_m"] <= 60 for n in p.data["neighbours"])
            and p.data["species"] == "rabbit"
        ),
        lambda o, p, r: [
            i.update(response="ignore") for i in o["interactions"] if i["with"] == "fox"
        ],
        "interaction-response",
    ),
    (
        "animal",
        "a predator called prey",
        ["interactions"],
        lambda p, r: any(i == "predator" for i in relations(p, r)),
        lambda o, p, r: [
            i.update(relation="prey") for i in o["interactions"] if i["relation"] == "predator"
        ],
        "interaction-relation",
    ),
    (
        "animal",
        "a neighbour overlooked",
        ["interactions"],
        lambda p, r: len(p.data["neighbours"]) >= 2,
        lambda o, p, r: o["interactions"].pop(),
        "interaction-coverage",
    ),
    # ---------------------------------------------------------------- plant
    (
        "plant",
        "sunflowers in winter",
        ["species"],
        lambda p, r: (
            p.data["biome"] == "grassland"
            and p.data["terrain"] == "flat"
            and p.data["season"] == "winter"
        ),
        _set(["species"], "sunflower"),
        "species-season",
    ),
    (
        "plant",
        "a cactus in the tundra",
        ["species"],
        lambda p, r: p.data["biome"] == "tundra",
        _set(["species"], "cactus"),
        "species-biome",
    ),
    (
        "plant",
        "reeds on rock",
        ["species"],
        lambda p, r: p.data["biome"] == "wetland" and p.data["terrain"] == "rocky",
        _set(["species"], "reed"),
        "species-terrain",
    ),
    (
        "plant",
        "a grammar of another species",
        ["lsystem"],
        lambda p, r: True,
        _set(["lsystem", "rules"], {"F": "F[+F]F[-F]F"}),
        "lsystem-rules",
    ),
    (
        "plant",
        "an expansion past the bound",
        ["lsystem"],
        lambda p, r: True,
        _set(["lsystem", "iterations"], 12),
        "lsystem-bounds",
    ),
    (
        "plant",
        "one iteration too many for the size",
        ["lsystem"],
        lambda p, r: p.data["size"] == "small",
        _set(["lsystem", "iterations"], lambda o, p, r: o["lsystem"]["iterations"] + 1),
        "lsystem-size",
    ),
    (
        "plant",
        "a miscounted expansion",
        ["segments"],
        lambda p, r: True,
        _set(["segments"], lambda o, p, r: o["segments"] + 1),
        "lsystem-expansion",
    ),
    (
        "plant",
        "an angle off the spread",
        ["lsystem"],
        lambda p, r: True,
        _set(["lsystem", "angle"], lambda o, p, r: o["lsystem"]["angle"] + 30),
        "lsystem-angle",
    ),
    (
        "plant",
        "a green deciduous plant in winter",
        ["season"],
        lambda p, r: (
            p.data["season"] == "winter"
            and p.data["biome"] == "wetland"
            and p.data["terrain"] == "flat"
        ),
        _set(["season", "foliage"], "green"),
        "season-foliage",
    ),
    (
        "plant",
        "flowers out of bloom",
        ["season"],
        lambda p, r: p.data["biome"] == "desert" and p.data["season"] == "winter",
        _set(["season", "flowers"], True),
        "season-flowers",
    ),
    # ---------------------------------------------------------------- tree
    (
        "tree",
        "a pine branching like a birch",
        ["branching"],
        lambda p, r: p.data["species"] == "pine",
        lambda o, p, r: o["branching"][0].update(angle_deg=20),
        "branch-angle",
    ),
    (
        "tree",
        "branches as long as their parents",
        ["branching"],
        lambda p, r: True,
        lambda o, p, r: o["branching"][-1].update(length_ratio=0.95),
        "branch-ratio",
    ),
    (
        "tree",
        "too many branches",
        ["branching"],
        lambda p, r: True,
        lambda o, p, r: o["branching"][0].update(count=12),
        "branch-count",
    ),
    (
        "tree",
        "an old tree with one level",
        ["branching"],
        lambda p, r: p.data["age"] >= 60,
        lambda o, p, r: o.update(branching=o["branching"][:1]),
        "branch-levels",
    ),
    (
        "tree",
        "a sapling 40 m tall",
        ["trunk"],
        lambda p, r: p.data["age"] < 10,
        _set(["trunk", "height_m"], 40),
        "trunk-height",
    ),
    (
        "tree",
        "a trunk too thin for its age",
        ["trunk"],
        lambda p, r: True,
        _set(["trunk", "diameter_cm"], lambda o, p, r: o["trunk"]["diameter_cm"] / 2),
        "trunk-diameter",
    ),
    (
        "tree",
        "a green birch in winter",
        ["foliage"],
        lambda p, r: p.data["species"] == "birch" and p.data["season"] == "winter",
        lambda o, p, r: o.update(foliage={"colour": "green", "density": 1.0}),
        "foliage-season",
    ),
    (
        "tree",
        "rustling leaves on a bare oak",
        ["sound"],
        lambda p, r: (
            p.data["species"] == "oak"
            and p.data["season"] == "winter"
            and 3 <= p.data["wind_ms"] < 8
        ),
        _set(["sound", "cue"], "rustle"),
        "sound-cue",
    ),
    (
        "tree",
        "a crown that sways too far",
        ["sound"],
        lambda p, r: True,
        _set(["sound", "sway_deg"], lambda o, p, r: o["sound"]["sway_deg"] + 5),
        "sound-sway",
    ),
    # ---------------------------------------------------------------- sound
    (
        "sound",
        "an envelope longer than the sound",
        ["envelope"],
        lambda p, r: True,
        _set(["envelope", "release_ms"], lambda o, p, r: p.data["duration_ms"]),
        "envelope-duration",
    ),
    (
        "sound",
        "a sustain above full scale",
        ["envelope"],
        lambda p, r: True,
        _set(["envelope", "sustain"], 1.5),
        "envelope-range",
    ),
    (
        "sound",
        "a jump scare that fades in",
        ["envelope"],
        lambda p, r: p.data["mood"] == "jump_scare" and p.data["duration_ms"] > 2000,
        _set(["envelope", "attack_ms"], 800),
        "envelope-mood",
    ),
    (
        "sound",
        "a howl filed as weather",
        ["category"],
        lambda p, r: p.data["subject"] == "wolf_howl",
        _set(["category"], "environment"),
        "category",
    ),
    (
        "sound",
        "a band wider than the subject",
        ["band"],
        lambda p, r: True,
        _set(["band", "high_hz"], 19000),
        "band-subject",
    ),
    (
        "sound",
        "a band upside down",
        ["band"],
        lambda p, r: True,
        lambda o, p, r: o.update(
            band={"low_hz": o["band"]["high_hz"], "high_hz": o["band"]["low_hz"]}
        ),
        "band-order",
    ),
    (
        "sound",
        "eerie without its drone",
        ["layers"],
        lambda p, r: p.data["mood"] == "eerie" and p.data["subject"] != "dungeon_ambience",
        lambda o, p, r: o["layers"].remove("drone"),
        "layers-mood",
    ),
    (
        "sound",
        "a howl without the howl",
        ["layers"],
        lambda p, r: p.data["subject"] == "wolf_howl",
        lambda o, p, r: o["layers"].remove("howl"),
        "layers-core",
    ),
    (
        "sound",
        "a choir in a door creak",
        ["layers"],
        lambda p, r: p.data["subject"] == "door_creak",
        lambda o, p, r: o["layers"].append("choir"),
        "layers-known",
    ),
    (
        "sound",
        "a looping jump scare",
        ["loop"],
        lambda p, r: p.data["mood"] == "jump_scare" and p.category == "music",
        _set(["loop"], True),
        "loop-rule",
    ),
    (
        "sound",
        "a calm sound at full blast",
        ["lufs"],
        lambda p, r: p.data["mood"] == "calm",
        _set(["lufs"], -6),
        "loudness-mood",
    ),
]


def expert_plan(problem, rules):
    from modelforge_gamepack.animal.procedure import plan

    return plan(rules, problem.data)


def relations(problem, rules):
    """Read from the species table as stated: a neighbour that preys on this species is its
    predator (no ecology module asked)."""
    species = problem.data["species"]
    return [
        "predator" if species in rules["species"][n["species"]]["prey"] else "other"
        for n in problem.data["neighbours"]
    ]


@pytest.mark.parametrize(
    ("name", "keys", "where", "mutate", "rule"),
    [pytest.param(c[0], c[2], c[3], c[4], c[5], id=f"{c[0]}: {c[1]}") for c in CASES],
)
def test_a_wrong_outcome_is_refused_by_the_rule_it_breaks(types, name, keys, where, mutate, rule):
    model_type = types[name]
    rules = model_type.rules.data
    problem = find(model_type, lambda p: where(p, rules))
    outcome = expert_outcome(model_type, problem)
    mutate(outcome, problem, rules)
    verdict = judge(model_type, problem, outcome)
    assert (verdict.ok, verdict.rule) == (False, rule), verdict
    assert verdict.reason and rule in rules["rules"]

    # the same wrong decision as a step, after the expert's earlier steps
    steps = model_type.solve(problem)
    position = next(i for i, (_, written) in enumerate(model_type.stages) if keys[0] in written)
    title, written = model_type.stages[position]
    wrong = Step(canonical({key: outcome[key] for key in written}), title=title)
    step_verdict = model_type.verify_step(problem, steps[:position], wrong)
    assert (step_verdict.ok, step_verdict.rule, step_verdict.step) == (False, rule, position)


def test_every_rule_of_every_type_is_tested_or_structural(types):
    """Each named rule is either a forged-outcome case above or a format/order rule."""
    tested = {(c[0], c[5]) for c in CASES}
    structural = {
        "format",
        "step-order",
        "species-known",
        "room-kind",
        "floor-count",
        "trunk-bark",
        "behaviour-known",
        "season-fruit",
        "window-exterior",
        "layers-count",
    }
    for name in {c[0] for c in CASES}:
        untested = (
            set(types[name].rules.data["rules"]) - structural - {r for t, r in tested if t == name}
        )
        assert not untested, f"{name}: no wrong-outcome case for {sorted(untested)}"
