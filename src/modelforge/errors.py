"""Exceptions a user or a plugin can cause; the CLI turns ModelforgeError into a message."""


class ModelforgeError(Exception):
    """An error with a message meant for the user, shown without a traceback."""


class ConfigError(ModelforgeError):
    """The configuration file or an override is invalid."""


class AlreadyRunning(ModelforgeError):
    """Another modelforge process holds this data directory."""


class StageSkipped(Exception):
    """Raised by a stage plugin that has nothing to do; the message is the reason."""


class StageInterrupted(Exception):
    """Raised by a stage that stopped early on request; the cycle resumes at this stage."""
