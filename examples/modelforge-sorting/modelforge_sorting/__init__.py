"""The own-task tutorial's model type (docs/tutorial-own-task.md)."""
