"""The `plant` verifier: species fit, the L-system expanded within bounds, the season's look."""

from __future__ import annotations

from modelforge_gamepack.kit.checks import close, flag, mapping, number, require, text
from modelforge_gamepack.plant import lsystem, procedure


def check_species(rules: dict, data: dict, outcome: dict) -> None:
    name = text(outcome["species"], "species")
    require(name in rules["species"], "species-known", f"no species {name!r}")
    spec = rules["species"][name]
    require(
        data["biome"] in spec["biomes"], "species-biome", f"{name} does not grow in {data['biome']}"
    )
    require(
        data["terrain"] in spec["terrains"],
        "species-terrain",
        f"{name} does not grow on {data['terrain']}",
    )
    require(
        data["season"] in spec["present"],
        "species-season",
        f"{name} is not above ground in {data['season']}",
    )


def check_lsystem(rules: dict, data: dict, outcome: dict) -> None:
    spec = rules["species"][outcome["species"]]
    grammar = mapping(outcome["lsystem"], "lsystem")
    require(
        set(grammar) == {"axiom", "rules", "angle", "iterations"},
        "format",
        "axiom, rules, angle, iterations",
    )
    require(
        grammar["axiom"] == spec["lsystem"]["axiom"]
        and grammar["rules"] == spec["lsystem"]["rules"],
        "lsystem-rules",
        f"{outcome['species']} grows by {spec['lsystem']['axiom']} -> {spec['lsystem']['rules']}",
    )
    count = number(grammar["iterations"], "iterations")
    limit = rules["lsystem"]
    require(
        count == int(count) and 0 <= count <= limit["max_iterations"],
        "lsystem-bounds",
        f"iterations 0-{limit['max_iterations']}",
    )
    expanded = lsystem.expand(grammar["axiom"], grammar["rules"], int(count), limit["max_symbols"])
    require(
        expanded is not None,
        "lsystem-bounds",
        f"{int(count)} iterations outgrow {limit['max_symbols']} symbols",
    )
    want = procedure.angle(spec, data["spread"])
    require(
        close(number(grammar["angle"], "angle"), want, 0.5), "lsystem-angle", f"the angle is {want}"
    )
    size = procedure.iterations(rules, spec, data["size"])
    require(
        count == size,
        "lsystem-size",
        f"a {data['size']} {outcome['species']} takes {size} iterations",
    )
    real = lsystem.segments(expanded)
    require(
        number(outcome["segments"], "segments") == real,
        "lsystem-expansion",
        f"the expansion draws {real} segments",
    )


def check_season(rules: dict, data: dict, outcome: dict) -> None:
    got = mapping(outcome["season"], "season")
    require(set(got) == {"foliage", "flowers", "fruit"}, "format", "foliage, flowers, fruit")
    spec = rules["species"][outcome["species"]]
    want = procedure.look(rules, spec, data["season"])
    require(
        got["foliage"] == want["foliage"],
        "season-foliage",
        f"a {spec['kind']} plant is {want['foliage']} in {data['season']}",
    )
    require(
        flag(got["flowers"], "flowers") == want["flowers"],
        "season-flowers",
        f"flowers in {data['season']}: {want['flowers']}",
    )
    require(
        flag(got["fruit"], "fruit") == want["fruit"],
        "season-fruit",
        f"fruit in {data['season']}: {want['fruit']}",
    )


CHECKS = {"species": check_species, "lsystem": check_lsystem, "season": check_season}
