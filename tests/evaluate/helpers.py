"""A tiny model built locally (no training), stage contexts, and tables filled by hand."""

from __future__ import annotations

import json
import string
import threading
from pathlib import Path

from modelforge_evaluate.tables import EvalRun, EvalScore

from modelforge.artifacts import register_artifact
from modelforge.lifecycle import StageContext
from modelforge.models import Cycle, StageRun

THINK = ("<think>", "</think>")


def tokenizer():
    """One token per printable character plus the think tags, as the embedded model has."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tokens = [
        "<pad>",
        "<eos>",
        "<unk>",
        *THINK,
        *[c for c in string.printable if c not in "\t\r\x0b\x0c"],
    ]
    inner = Tokenizer(models.WordLevel({t: i for i, t in enumerate(tokens)}, unk_token="<unk>"))
    specials = "|".join(t.replace("/", r"\/") for t in tokens[:5])
    inner.pre_tokenizer = pre_tokenizers.Split(Regex(rf"{specials}|[\s\S]"), behavior="isolated")
    inner.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(
        tokenizer_object=inner, eos_token="<eos>", pad_token="<pad>", unk_token="<unk>"
    )


def save_tiny_model(folder: Path, seed: int = 0, eos_bias: float = 0.0) -> Path:
    """An untrained two-layer Llama; eos_bias > 0 makes it stop at once (a worse model)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    tok = tokenizer()
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=512,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        bos_token_id=None,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    if eos_bias:
        with torch.no_grad():
            model.lm_head.weight[tok.eos_token_id] += eos_bias
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


LINEAGE = {
    "stages": ["srl", "rlvr"],
    "base_model": {"name": "embedded-test", "hash": "x"},
    "rules_version": "1.0.0",
    "format": "full-weights",
}


def register_trained(app, folder: Path, cycle_id: int, lineage: dict | None = None):
    """Register a folder as this cycle's rlvr_model artifact, as the trainer does."""
    lineage = {**LINEAGE, **(lineage or {}), "cycle_id": cycle_id, "stage": "train_rlvr"}
    (folder / "modelforge_lineage.json").write_text(json.dumps(lineage))
    return register_artifact(
        app.db, folder, "rlvr_model", lineage, model_type="arith", cycle_id=cycle_id
    )


def new_cycle(app, model_type: str = "arith") -> int:
    with app.db.session() as session:
        cycle = Cycle(model_type=model_type)
        session.add(cycle)
        session.flush()
        return cycle.id


def context(app, cycle_id: int, stage: str, model_type: str = "arith") -> StageContext:
    with app.db.session() as session:
        run = StageRun(cycle_id=cycle_id, stage=stage)
        session.add(run)
        session.flush()
        run_id = run.id
    stop = threading.Event()
    return StageContext(
        app.db, app.config, app.plugins, cycle_id, run_id, stage, model_type, stop.is_set
    )


def fill_scores(
    app,
    cycle_id: int | None,
    model: str,
    scores: dict[str, tuple[int, int]],
    model_type: str = "arith",
) -> int:
    """An evaluation stored by hand: (passed, n) per category."""
    with app.db.session() as session:
        run = EvalRun(
            heldout_set_id=0,
            cycle_id=cycle_id,
            model_type=model_type,
            model_name=model,
            samples=sum(n for _, n in scores.values()),
            passed=sum(p for p, _ in scores.values()),
            seconds=1.0,
            cpu_seconds=1.0,
            tokens=100,
        )
        session.add(run)
        session.flush()
        session.add_all(
            EvalScore(
                eval_run_id=run.id,
                cycle_id=cycle_id,
                model_type=model_type,
                model_name=model,
                category=c,
                passed=p,
                n=n,
            )
            for c, (p, n) in scores.items()
        )
        return run.id


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every JSON body POSTed to it."""

    def __init__(self, status: int = 200):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def write_config(home: Path, extra: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[types.arith]\nenabled = true\n\n" + extra)
