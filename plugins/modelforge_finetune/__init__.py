"""Paid-provider fine-tuning (the `finetune_remote` stage): OpenAI, Gemini on Vertex AI, and
Anthropic through Bedrock customization or, where none is offered, prompt optimisation."""
