"""The providers this plugin knows, in a module light enough for `modelforge --help`."""

PROVIDERS: tuple[str, ...] = ("openai", "gemini", "anthropic")
