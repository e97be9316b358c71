"""The game pack: seven model types (personality, facial, building, animal, plant, tree, sound),
the `modelforge rules` command, and the watch that retrains a type when its rules change.

Everything is imported inside the hooks: `modelforge --help` pays for none of it.
"""

from modelforge import hookimpl


@hookimpl
def register_model_types(register):
    from modelforge_gamepack.animal.model_type import Animal
    from modelforge_gamepack.building.model_type import Building
    from modelforge_gamepack.facial.model_type import Facial
    from modelforge_gamepack.personality.model_type import Personality
    from modelforge_gamepack.plant.model_type import Plant
    from modelforge_gamepack.sound.model_type import Sound
    from modelforge_gamepack.tree.model_type import Tree

    for model_type in (Personality, Facial, Building, Animal, Plant, Tree, Sound):
        register(model_type())


@hookimpl
def register_commands(cli):
    from modelforge_gamepack.rules_cli import command

    cli.add_command(command)


@hookimpl
def cycle_starting(model_type, cycle_id, db, plugins):
    """As a cycle starts, notice new rules: this cycle's training then retrains."""
    from modelforge_gamepack.rules_watch import cycle_check

    cycle_check(model_type, cycle_id, db, plugins)


@hookimpl
def checklist_evidence(item, db, config):
    if item != "trained":
        return None
    from modelforge_gamepack.retrain_evidence import awaiting_retraining

    return awaiting_retraining(db, config.enabled_types)
