"""Table cells as Rich Text: database strings are never parsed as markup, colours follow status.

Colours are ANSI names, which Textual maps through the theme's palette, so they stay readable
in light and dark themes.
"""

from __future__ import annotations

from rich.text import Text

STATUS_STYLES = {
    "done": "green",
    "running": "bold cyan",
    "skipped": "dim",
    "failed": "bold red",
    "interrupted": "yellow",
    "pending": "yellow",
    "refused": "red",
    "error": "bold red",
    "warning": "yellow",
}
SPARKS = "▁▂▃▄▅▆▇█"


def plain(value: object) -> Text:
    """Any value as literal text ('' for None)."""
    return Text("" if value is None else str(value), no_wrap=True)


def status(value: str | None) -> Text:
    return Text(value or "", style=STATUS_STYLES.get(value or "", ""), no_wrap=True)


def progress_bar(done: int, total: int | None, width: int = 10) -> Text:
    """`████░░░░░░ 4/10`, or just the count when the total is unknown."""
    if not total:
        return Text(f"{done}" if done else "", no_wrap=True)
    filled = min(width, round(width * done / total))
    bar = Text("█" * filled, style="green") + Text("░" * (width - filled), style="dim")
    return bar + Text(f" {done}/{total}")


def sparkline(values: list[float]) -> str:
    """Fractions in [0, 1] as block characters, oldest first."""
    top = len(SPARKS) - 1
    return "".join(SPARKS[round(max(0.0, min(1.0, value)) * top)] for value in values)


def duration(seconds: float | None) -> str:
    """`42s`, `3m05s`, `2h07m`; '' when unknown."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{fraction:.0%}"
