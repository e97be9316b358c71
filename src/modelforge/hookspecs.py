"""The plugin contract: every lifecycle stage and every registration point is a hook here.

Each spec's docstring is its contract: what it receives, what it returns, what happens when it
raises (`help(modelforge.hookspecs.evaluate)` shows it). Implementations declare only the
arguments they use. Every call goes through pluggy's `pm.hook`, one plugin at a time, so that a
plugin that raises is reported and the others still run.
"""

import pluggy

hookspec = pluggy.HookspecMarker("modelforge")
hookimpl = pluggy.HookimplMarker("modelforge")

# ---------------------------------------------------------------- registration


@hookspec
def register_commands(cli):
    """Add click commands or groups to the `modelforge` command line.

    Args:
        cli: the root `click.Group`; call `cli.add_command(...)` or decorate with `@cli.command()`.

    Returns:
        Nothing. A plugin that raises stops the command line with an error naming it.
    """


@hookspec
def register_model_types(register):
    """Supply model types.

    Args:
        register: call `register(model_type)` once per type; a model type has a unique string
            `name` and the methods of `modelforge.modeltype.ModelType`.

    Returns:
        Nothing. Two plugins registering the same name is an error naming it.
    """


@hookspec
def register_config_sections(register):
    """Declare the config.toml tables this plugin reads.

    Args:
        register: call `register(name, model)` per table; `model` subclasses
            `modelforge.settings.Section` (strict, unknown keys refused, every field defaulted).

    Returns:
        Nothing. `core`, `daemon` and `types` are taken; a name registered twice is an error.
    """


@hookspec
def register_migrations():
    """Give the alembic version scripts of this plugin's own tables.

    Returns:
        The folder (str or Path) of an alembic branch (`down_revision = None`,
        `branch_labels = ("yourname",)`, `depends_on = "0001_core"`), or None for no tables.
    """


@hookspec
def publish_contract():
    """Declare what this plugin lets others read, once, so that nobody copies its names.

    Returns:
        A `modelforge.contracts.Contract`: tables (`Table.of(Model, *columns)`), artifact
        kinds, stage result keys and event kinds, each under a topic that readers ask for
        (docs/plugins.md lists the topics in use); or None. Two plugins publishing one topic is
        an error naming both.
    """


# ---------------------------------------------------------------- lifecycle


@hookspec
def cycle_starting(model_type, cycle_id, db, config, plugins):
    """Called as a cycle starts or resumes, before its first stage (e.g. to notice new rules).

    Args:
        model_type: the cycle's model type name.
        cycle_id: the `cycles` row id.
        db: the `modelforge.db.Database`.
        config: the validated `modelforge.config.Config`.
        plugins: the `modelforge.plugins.Plugins` manager.

    Returns:
        Nothing. A plugin that raises is recorded as a `cycle.hook_failed` error event; the
        cycle goes on.
    """


# Every stage hook below receives the model type's name and a StageContext and returns a
# JSON-serialisable summary of what it did; the contract they share is STAGE_CONTRACT.

STAGE_CONTRACT = """
    Args:
        model_type: the cycle's model type name.
        ctx: the `modelforge.lifecycle.StageContext` (db, config, plugins, work_dir, progress,
            event, artifact, stop_requested).

    Returns:
        A JSON-serialisable summary of what the stage did, stored with the stage run
        (`stage_runs.result`, keyed by plugin name). Raising modelforge.StageSkipped records the
        stage as skipped with its reason; raising modelforge.StageInterrupted (after a
        checkpoint) leaves it to be resumed; any other exception fails the stage with an error
        naming the plugin, its traceback stored.
"""


def stage_hookspec(function):
    """A lifecycle stage's spec: its own one-line purpose, then the contract every stage shares
    (so `help()` on it shows the whole contract)."""
    function.__doc__ = function.__doc__.rstrip() + "\n" + STAGE_CONTRACT
    return hookspec(function)


@stage_hookspec
def audit(model_type, ctx):
    """Find and classify old-style training tasks in the configured task files."""


@stage_hookspec
def generate(model_type, ctx):
    """Produce fresh, verified expert trajectories for this cycle."""


@stage_hookspec
def train_srl(model_type, ctx):
    """Train with step-wise similarity rewards against the expert trajectories."""


@stage_hookspec
def train_rlvr(model_type, ctx):
    """Train from the SRL result with the verifier's outcome reward."""


@stage_hookspec
def finetune_remote(model_type, ctx):
    """Fine-tune paid provider models from the same data and register the results."""


@stage_hookspec
def evaluate(model_type, ctx):
    """Score candidates and the incumbent on a fresh held-out set."""


@stage_hookspec
def track(model_type, ctx):
    """Store scores and detect weak categories, regressions and trends."""


@stage_hookspec
def select(model_type, ctx):
    """Choose, per responsibility, the model with the best quality for its cost."""


# ---------------------------------------------------------------- decisions


@hookspec(firstresult=True)
def choose_model(responsibility, db, config):
    """Decide which registered model answers a responsibility now; the server asks this for
    `auto:<responsibility>` requests.

    Args:
        responsibility: the name after `auto:`, e.g. "arith".
        db: the `modelforge.db.Database`.
        config: the validated `modelforge.config.Config`.

    Returns:
        `{"model": name, "reasons": [...], ...}`, or None when this plugin does not decide
        (the next plugin is asked). A plugin that raises is recorded as a `plugin.hook_failed`
        error event and passed over.
    """


@hookspec(firstresult=True)
def champion(model_type, db, config):
    """Name the artifact a type's next cycle trains from: the selector's knowledge, asked for
    by the trainer so that it never reads the selector's tables.

    Args:
        model_type: the type's name.
        db: the `modelforge.db.Database`.
        config: the validated `modelforge.config.Config`.

    Returns:
        `{"artifact_id": id or None, "why": str}`: an `artifacts` row id, or None for the
        base (this plugin knows the type's models and none of them is a clean start); or None
        when this plugin keeps no incumbents of the type (the core falls back to the newest
        artifact of a finished cycle, then the base). A plugin that raises is recorded as a
        `plugin.hook_failed` event and passed over.
    """


@hookspec(firstresult=True)
def chat_backend(role, config):
    """A chat model for another plugin that needs a model's judgement (the audit's judge),
    so that it reuses the configured backends instead of importing the plugin that owns them.

    Args:
        role: a role name of the plugin that answers (the generate plugin's: context, teacher,
            verifier).
        config: the validated `modelforge.config.Config`.

    Returns:
        An object with `name`, `model` and `complete(system, user) -> str`; or None when this
        plugin has no such role. Raises ModelforgeError, saying what to change, for a role it
        knows but cannot answer with a model (e.g. a procedural one).
    """


# ---------------------------------------------------------------- reporting


@hookspec(firstresult=True)
def checklist_evidence(item, db, config):
    """Answer a checklist item from evidence this plugin owns.

    Args:
        item: the item id: audit, stages, trained, generation, selection, paid, tracking,
            integration, tests or docs.
        db: the `modelforge.db.Database`.
        config: the validated `modelforge.config.Config`.

    Returns:
        `(state, evidence)` with state "done", "not done" or "unknown" and evidence one line;
        or None to leave the item to the next plugin or the core. A plugin that raises is
        named in the item's evidence, which turns "unknown", and the checklist goes on.
    """
