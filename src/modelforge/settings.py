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
    data_dir: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class DaemonSettings(Section):
    timezone: str = "UTC"
    misfire_grace_seconds: int = 3600

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
    enabled: bool = True
    interval_minutes: int = 360
    cron: str | None = None

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
