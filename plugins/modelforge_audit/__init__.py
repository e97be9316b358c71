"""modelforge first-party plugin: audit."""
