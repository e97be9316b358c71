"""modelforge first-party plugin: generate."""
