"""The `evaluate`, `track` and `select` stages: held-out scores, weaknesses, model choice."""
