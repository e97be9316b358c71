"""The plugin contract: every lifecycle stage and every registration point is a hook here."""

import pluggy

hookspec = pluggy.HookspecMarker("modelforge")
hookimpl = pluggy.HookimplMarker("modelforge")

# ---------------------------------------------------------------- registration


@hookspec
def register_commands(cli):
    """Add click commands or groups to the `modelforge` command line."""


@hookspec
def register_model_types(register):
    """Call register(model_type) for each model type this plugin supplies."""


@hookspec
def register_config_sections(register):
    """Call register(name, pydantic_model) for each config.toml table this plugin reads."""


@hookspec
def register_migrations():
    """Return the folder of alembic version scripts for this plugin's own tables."""


# ---------------------------------------------------------------- lifecycle


@hookspec
def cycle_starting(model_type, cycle_id, db, config, plugins):
    """Called as a cycle starts or resumes, before its first stage (e.g. to notice new rules).

    A plugin that raises here is logged as an error event; the cycle goes on.
    """

# Each stage hook receives the model type's name and a StageContext (ctx) and returns
# a JSON-serialisable summary of what it did. Raising modelforge.StageSkipped records
# the stage as skipped with a reason; raising modelforge.StageInterrupted leaves it to
# be resumed.


@hookspec
def audit(model_type, ctx):
    """Find and classify old-style training tasks in the configured task files."""


@hookspec
def generate(model_type, ctx):
    """Produce fresh, verified expert trajectories for this cycle."""


@hookspec
def train_srl(model_type, ctx):
    """Train with step-wise similarity rewards against the expert trajectories."""


@hookspec
def train_rlvr(model_type, ctx):
    """Train from the SRL result with the verifier's outcome reward."""


@hookspec
def finetune_remote(model_type, ctx):
    """Fine-tune paid provider models from the same data and register the results."""


@hookspec
def evaluate(model_type, ctx):
    """Score candidates and the incumbent on a fresh held-out set."""


@hookspec
def track(model_type, ctx):
    """Store scores and detect weak categories, regressions and trends."""


@hookspec
def select(model_type, ctx):
    """Choose, per responsibility, the model with the best quality for its cost."""


# ---------------------------------------------------------------- decisions


@hookspec(firstresult=True)
def choose_model(responsibility, db, config):
    """Decide which registered model answers a responsibility now.

    Returns {"model": name, "reasons": [...], ...} or None when this plugin does not decide;
    the server asks this for `auto:<responsibility>` requests.
    """


# ---------------------------------------------------------------- reporting


@hookspec(firstresult=True)
def checklist_evidence(item, db, config):
    """Return (state, evidence) for a checklist item id this plugin knows better, or None.

    item is one of: audit, stages, trained, generation, selection, paid, tracking,
    integration, tests, docs. state is "done", "not done" or "unknown".
    """
