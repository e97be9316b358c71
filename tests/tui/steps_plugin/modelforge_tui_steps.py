"""A stage plugin for the TUI's live test: generate reports STEPS steps, STEP_S seconds apart."""

import os
import time

from modelforge import hookimpl


@hookimpl
def generate(model_type, ctx):
    steps = int(os.environ.get("STEPS", "8"))
    for done in range(1, steps + 1):
        time.sleep(float(os.environ.get("STEP_S", "0.4")))
        ctx.progress(done, steps, force=True)
    return {"generated": steps}
