"""The `[finetune]` config table: providers, base models, prices, budget and polling.

Every key has a default so the stage works with no config file; the price table holds what
the plan's cost-benefit call and the budget check read, so a team updates prices here.
"""

from __future__ import annotations

from typing import Literal

from modelforge.settings import Section
from modelforge_finetune.names import PROVIDERS

Provider = Literal["openai", "gemini", "anthropic"]


class PriceSettings(Section):
    """What one base model costs: training per 1M tokens, and per 1M tokens served afterwards."""

    train_per_1m_tokens: float = 0.0  # USD per 1M training tokens
    input_per_1m_tokens: float = 0.0  # USD per 1M prompt tokens served
    output_per_1m_tokens: float = 0.0  # USD per 1M completion tokens served


class OpenAISettings(Section):
    """The OpenAI fine-tuning API, or any server that speaks it (Azure, Bedrock's endpoint)."""

    base_url: str | None = None  # None: api.openai.com
    key_env: str = "OPENAI_API_KEY"  # the environment variable holding the API key
    base_model: str = "gpt-4.1-mini-2025-04-14"  # the model the stage tunes
    # Models this account may tune by method; the adapter also checks the models endpoint.
    methods: dict[str, list[str]] = {
        "supervised": ["gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14"],
        "dpo": ["gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14"],
        "reinforcement": [],  # the RFT model (o4-mini) was retired in 2026
    }
    new_jobs_until: str | None = "2027-01-06"  # OpenAI closes new fine-tuning jobs to everyone
    n_epochs: int = 3  # passes over the training file


class GeminiSettings(Section):
    """Vertex AI tuning through google-genai; credentials from Application Default Credentials."""

    base_url: str | None = None  # None: the Vertex AI endpoint of `location`
    # the environment variable naming the Google Cloud project
    project_env: str = "GOOGLE_CLOUD_PROJECT"
    location: str = "us-central1"  # the Vertex AI region
    bucket: str = ""  # gs://bucket/prefix the training JSONL is uploaded to; empty: not set up
    base_model: str = "gemini-2.5-flash"  # the model the stage tunes
    methods: dict[str, list[str]] = {  # models this project may tune, by method
        "supervised": ["gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-pro"],
        "preference": ["gemini-2.5-flash", "gemini-2.5-flash-lite"],
        "reinforcement": ["gemini-2.5-flash"],
    }
    epoch_count: int = 3  # passes over the training file


class AnthropicSettings(Section):
    """Claude: Bedrock model customization when a model is offered, else prompt optimisation."""

    region: str = "us-east-1"  # the AWS region of Bedrock
    bedrock_role_arn: str = ""  # the IAM role Bedrock reads S3 with; empty: Bedrock not set up
    bedrock_bucket: str = ""  # s3://bucket/prefix for training data and output
    # the Bedrock model the stage customises
    base_model: str = "anthropic.claude-3-haiku-20240307-v1:0"
    epoch_count: int = 2  # passes over the training data
    # Prompt optimisation through the Messages API (the fallback in force today).
    base_url: str | None = None
    key_env: str = "ANTHROPIC_API_KEY"  # the environment variable holding the API key
    prompt_model: str = "claude-haiku-4-5"  # the model whose prompt is optimised
    candidates: int = 3  # system prompts with few-shot sets tried
    shots: int = 4  # expert trajectories per candidate
    held_out: int = 8  # fresh problems each candidate is scored on
    max_tokens: int = 1024  # per answer while scoring candidates


class PollSettings(Section):
    """How the stage and `finetune status --wait` watch a job: exponential backoff, bounded."""

    first_s: float = 30.0  # seconds before the first look at a job
    factor: float = 1.5  # each wait is this times the last
    max_s: float = 600.0  # the longest wait between looks
    stage_timeout_s: float = 6 * 3600.0  # past this the stage stops and resumes next cycle


class RetrySettings(Section):
    """Retries on 429 and 5xx, with the SDK's own backoff where it has one."""

    attempts: int = 4  # tries per request
    timeout_s: float = 120.0  # seconds per request


class FinetuneSettings(Section):
    """Paid fine-tuning: which providers, what is submitted, the budget."""

    providers: list[Provider] = list(PROVIDERS)  # which the lifecycle stage tries
    stage: Literal["srl", "rlvr", "sft"] = "srl"  # what the lifecycle stage submits
    examples: int = 200  # trajectories drawn (served once) per job
    budget_usd: float = 50.0  # a job estimated above this is refused
    chars_per_token: float = 4.0  # for the estimate only
    # Estimated quality gain (fraction of verifier score) where nothing was measured yet.
    expected_gain: dict[str, float] = {
        "openai": 0.10,
        "gemini": 0.10,
        "anthropic_bedrock": 0.10,
        "prompt": 0.04,
    }
    prices: dict[str, PriceSettings] = {
        "gpt-4.1-2025-04-14": PriceSettings(
            train_per_1m_tokens=25.0, input_per_1m_tokens=3.0, output_per_1m_tokens=12.0
        ),
        "gpt-4.1-mini-2025-04-14": PriceSettings(
            train_per_1m_tokens=5.0, input_per_1m_tokens=0.8, output_per_1m_tokens=3.2
        ),
        "gpt-4.1-nano-2025-04-14": PriceSettings(
            train_per_1m_tokens=1.5, input_per_1m_tokens=0.2, output_per_1m_tokens=0.8
        ),
        "gemini-2.5-flash": PriceSettings(
            train_per_1m_tokens=5.0, input_per_1m_tokens=0.3, output_per_1m_tokens=2.5
        ),
        "gemini-2.5-flash-lite": PriceSettings(
            train_per_1m_tokens=1.5, input_per_1m_tokens=0.1, output_per_1m_tokens=0.4
        ),
        "anthropic.claude-3-haiku-20240307-v1:0": PriceSettings(
            train_per_1m_tokens=4.0, input_per_1m_tokens=0.25, output_per_1m_tokens=1.25
        ),
        "claude-haiku-4-5": PriceSettings(input_per_1m_tokens=1.0, output_per_1m_tokens=5.0),
    }
    tokens_per_request: dict[str, int] = {"input": 600, "output": 200}  # for price per 1k requests
    plan_requests_k: float = 100.0  # thousands of requests the plan expects a model to serve
    openai: OpenAISettings = OpenAISettings()
    gemini: GeminiSettings = GeminiSettings()
    anthropic: AnthropicSettings = AnthropicSettings()
    poll: PollSettings = PollSettings()
    retry: RetrySettings = RetrySettings()
