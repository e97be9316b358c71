"""The rules' reasoning shared by the expert and the verifier: activity, threat, responses."""

from __future__ import annotations

BEHAVIOURS = ("rest", "hibernate", "forage", "hunt", "flee", "hide", "patrol")


def state(rules: dict, data: dict) -> str:
    spec = rules["species"][data["species"]]
    if spec.get("hibernates") and data["season"] == "winter":
        return "hibernating"
    return "awake" if data["time"] in rules["patterns"][spec["pattern"]] else "resting"


def relation(rules: dict, species: str, other: str) -> str:
    if species in rules["species"][other]["prey"]:
        return "predator"
    if other in rules["species"][species]["prey"]:
        return "prey"
    return "neutral"


def hungry(rules: dict, data: dict) -> bool:
    return data["hunger"] >= rules["hungry_from"]


def response(rules: dict, data: dict, neighbour: dict) -> str:
    now = state(rules, data)
    kind = relation(rules, data["species"], neighbour["species"])
    near = neighbour["distance_m"] <= rules["species"][data["species"]]["alert_m"]
    if now == "hibernating":
        return "ignore"
    if kind == "predator":
        if near:
            return "flee" if now == "awake" else "hide"
        return "watch" if now == "awake" else "ignore"
    if kind == "prey" and now == "awake" and hungry(rules, data):
        return "hunt"
    return "ignore"


def threatened(rules: dict, data: dict) -> bool:
    return any(response(rules, data, n) in ("flee", "hide") for n in data["neighbours"])


def feeding(rules: dict, data: dict) -> str:
    diet = rules["species"][data["species"]]["diet"]
    prey_near = any(
        relation(rules, data["species"], n["species"]) == "prey" for n in data["neighbours"]
    )
    return "hunt" if diet == "carnivore" or (diet == "omnivore" and prey_near) else "forage"
