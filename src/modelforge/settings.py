"""The core's settings: the base of every config.toml table, and the core's own tables.

The naming rule, for the core and every plugin: a class that is one table of config.toml (or
one entry of a table of tables) is named `<Name>Settings`, subclasses `Section`, and lives in
its package's `settings.py`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator


class Section(BaseModel):
    """Base of every config table: unknown keys and wrong types are errors, never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class CoreSettings(Section):
    """Where data lives and how much is logged."""

    # the data directory when neither --home nor MODELFORGE_HOME is set; unset: ~/.modelforge
    data_dir: str | None = None
    # how much `modelforge run` logs (stderr and <data dir>/logs/modelforge.log)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class DaemonSettings(Section):
    """How `modelforge run` schedules cycles."""

    timezone: str = "UTC"  # the time zone of cron schedules (an IANA name)
    misfire_grace_seconds: int = 3600  # a missed cycle still runs if the daemon is back within this

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as 'UTC' or 'Europe/Berlin'"
            ) from None
        return value

    @field_validator("misfire_grace_seconds")
    @classmethod
    def _positive_seconds(cls, value: int) -> int:
        if value <= 0:  # APScheduler refuses zero as well
            raise ValueError("must be a positive number of seconds")
        return value


class ModelTypeSettings(Section):
    """One model type: whether it runs, and its schedule."""

    enabled: bool = True  # whether `run` runs cycles for this model type
    interval_minutes: int = 360  # the daemon runs a cycle this often (the first one at once)
    cron: str | None = None  # a five-field crontab schedule instead of the interval

    @field_validator("interval_minutes")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number of minutes")
        return value

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        if value is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value)
            except ValueError as exc:
                raise ValueError(f"not a crontab expression: {exc}") from None
        return value


CORE_SETTINGS: dict[str, type[Section]] = {"core": CoreSettings, "daemon": DaemonSettings}
