"""Cost estimates from the `[finetune] prices` table: what a job costs once, what serving costs."""

from __future__ import annotations

from dataclasses import dataclass

from modelforge.errors import ModelforgeError
from modelforge_finetune.settings import FinetuneSettings, PriceSettings


class OverBudget(ModelforgeError):
    """A job's estimated cost is past `[finetune] budget_usd`; nothing was uploaded."""


@dataclass(frozen=True)
class Estimate:
    tokens: int  # trained tokens: the file's tokens times the epochs
    cost_usd: float
    price_per_1k: float  # USD per 1000 requests to the result


def price_of(settings: FinetuneSettings, model: str) -> PriceSettings:
    if model not in settings.prices:
        known = ", ".join(sorted(settings.prices))
        raise ModelforgeError(f"no price for '{model}' in [finetune] prices (known: {known})")
    return settings.prices[model]


def per_1k_requests(settings: FinetuneSettings, price: PriceSettings) -> float:
    tokens = settings.tokens_per_request
    per_request = (
        tokens.get("input", 0) * price.input_per_1m_tokens
        + tokens.get("output", 0) * price.output_per_1m_tokens
    ) / 1e6
    return round(per_request * 1000, 6)


def estimate(settings: FinetuneSettings, model: str, text: str, epochs: int) -> Estimate:
    price = price_of(settings, model)
    tokens = int(len(text) / settings.chars_per_token) * max(epochs, 1)
    cost = tokens / 1e6 * price.train_per_1m_tokens
    return Estimate(tokens, round(cost, 4), per_1k_requests(settings, price))


def check_budget(settings: FinetuneSettings, found: Estimate, what: str) -> None:
    if found.cost_usd > settings.budget_usd:
        raise OverBudget(
            f"{what}: estimated ${found.cost_usd:.2f} ({found.tokens} trained tokens) is past "
            f"the budget of ${settings.budget_usd:.2f} ([finetune] budget_usd); nothing uploaded"
        )
