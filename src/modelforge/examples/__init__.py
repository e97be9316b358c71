"""The example store: verified trajectories with provenance, de-duplicated, served once."""

from modelforge.examples.store import AlreadyServed, ExampleStore, NewExample

__all__ = ["AlreadyServed", "ExampleStore", "NewExample"]
