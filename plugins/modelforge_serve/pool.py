"""The models in memory: bases loaded with transformers, peft adapters on them, both bounded.

Each base carries one lock. A request holds it while it picks its adapter and generates, and
loading, swapping or unloading an adapter takes it too, so a change waits for the request in
flight and never alters weights under it. Adapters on one base live in peft slots; when the
configured number of slots is full the least recently used adapter gives up its slot, and the
newcomer's weights are hot-swapped into that slot (peft.utils.hotswap) where the LoRA shapes and
config allow, else the slot is deleted and a new one loaded.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from modelforge_serve.routing import Target
from modelforge_serve.settings import ServeSettings

log = logging.getLogger("modelforge.serve")


@dataclass
class Slot:
    """A peft adapter slot and the registered adapter that occupies it now."""

    peft_name: str
    name: str
    path: str
    tokenizer: Any


@dataclass
class Resident:
    """A base in memory, with its adapters in least-recently-used order (oldest first)."""

    key: str
    model: Any  # a transformers model, or the PeftModel wrapping it once adapters are loaded
    tokenizer: Any
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: OrderedDict[str, Slot] = field(default_factory=OrderedDict)
    made: int = 0  # slots created so far, for unique peft names

    @property
    def context_length(self) -> int:
        return int(getattr(self.inner.config, "max_position_embeddings", 2048))

    @property
    def wrapped(self) -> bool:
        """Whether the base is wrapped in a PeftModel (it is while any adapter is loaded)."""
        return hasattr(self.model, "peft_config")

    @property
    def inner(self):
        """The transformers model; with adapters loaded it carries the LoRA layers."""
        return self.model.get_base_model() if self.wrapped else self.model


@dataclass(frozen=True)
class Loaded:
    """What a request generates with, valid while it holds the base's lock."""

    model: Any
    tokenizer: Any
    context_length: int
    device: Any


class ModelPool:
    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.bases: OrderedDict[str, Resident] = OrderedDict()
        self.lock = threading.Lock()  # guards `bases`; never taken while holding a base lock
        self.counters = {
            "base_loads": 0,
            "base_evictions": 0,
            "adapter_loads": 0,
            "hot_swaps": 0,
            "adapter_evictions": 0,
            "adapter_unloads": 0,
        }

    # ------------------------------------------------------------ requests

    @contextmanager
    def use(self, target: Target) -> Iterator[Loaded]:
        """Hold `target` ready to generate: its base locked, its adapter (if any) active."""
        while True:
            resident = self._resident(target.base)
            with resident.lock:
                if resident.model is None:
                    continue  # evicted while this request waited for it: load it again
                if target.adapter:
                    slot = self._ensure(resident, target)
                    resident.model.set_adapter(slot.peft_name, inference_mode=True)
                    tokenizer, scope = slot.tokenizer, nullcontext()
                else:
                    tokenizer = resident.tokenizer
                    scope = resident.model.disable_adapter() if resident.wrapped else nullcontext()
                with scope:
                    model = resident.inner
                    yield Loaded(model, tokenizer, resident.context_length, model.device)
                return

    # ------------------------------------------------------------ administration

    def load(self, target: Target) -> dict[str, Any]:
        """Make an adapter resident now (or refresh it from a new folder)."""
        while True:
            resident = self._resident(target.base)
            with resident.lock:
                if resident.model is not None:
                    slot = self._ensure(resident, target)
                    break
        return {"model": target.name, "base": target.base, "slot": slot.peft_name}

    def unload(self, name: str) -> bool:
        """Drop an adapter from memory; False when it was not resident."""
        with self.lock:
            residents = list(self.bases.values())
        for resident in residents:
            with resident.lock:
                if resident.model is not None and name in resident.slots:
                    self._drop(resident, resident.slots.pop(name))
                    self.counters["adapter_unloads"] += 1
                    return True
        return False

    def listing(self) -> dict[str, Any]:
        with self.lock:
            residents = list(self.bases.values())
        return {
            "bases": [
                {
                    "base": r.key,
                    "adapters": [
                        {"model": s.name, "path": s.path, "slot": s.peft_name}
                        for s in r.slots.values()
                    ],
                }
                for r in residents
            ],
            "max_resident_adapters": self.settings.max_resident_adapters,
            "max_resident_bases": self.settings.max_resident_bases,
            "counters": dict(self.counters),
        }

    # ------------------------------------------------------------ bases

    def _resident(self, key: str) -> Resident:
        with self.lock:
            if key in self.bases:
                self.bases.move_to_end(key)
                return self.bases[key]
            while len(self.bases) >= max(1, self.settings.max_resident_bases):
                _, evicted = self.bases.popitem(last=False)
                with evicted.lock:  # let its request in flight finish first
                    evicted.model = None
                self.counters["base_evictions"] += 1
            model, tokenizer = load_base(key, self.settings)
            self.bases[key] = Resident(key, model, tokenizer)
            self.counters["base_loads"] += 1
            return self.bases[key]

    # ------------------------------------------------------------ adapters (base lock held)

    def _ensure(self, resident: Resident, target: Target) -> Slot:
        slot = resident.slots.get(target.name)
        if slot is not None and slot.path == target.adapter:
            resident.slots.move_to_end(target.name)
            return slot
        if slot is not None:  # the registry points at a new folder: refresh in place
            del resident.slots[target.name]
        elif len(resident.slots) >= max(1, self.settings.max_resident_adapters):
            _, slot = resident.slots.popitem(last=False)
            self.counters["adapter_evictions"] += 1
            log.info("unloading adapter %s (least recently used)", slot.name)
        if slot is not None and not self._hot_swap(resident, slot.peft_name, target.adapter):
            self._drop(resident, slot, keep_wrapper=True)
            slot = None
        if slot is None:
            slot = Slot(self._add(resident, target.adapter), target.name, target.adapter, None)
            self.counters["adapter_loads"] += 1
        else:
            self.counters["hot_swaps"] += 1
        slot.name, slot.path = target.name, target.adapter
        slot.tokenizer = adapter_tokenizer(target.adapter, resident.tokenizer)
        resident.slots[target.name] = slot
        return slot

    def _add(self, resident: Resident, path: str) -> str:
        from peft import PeftModel

        peft_name = f"slot{resident.made}"
        resident.made += 1
        if resident.wrapped:
            resident.model.load_adapter(path, adapter_name=peft_name)
        else:
            resident.model = PeftModel.from_pretrained(resident.model, path, adapter_name=peft_name)
        resident.model.eval()
        return peft_name

    def _hot_swap(self, resident: Resident, peft_name: str, path: str) -> bool:
        """Swap new weights into a slot; False when peft finds the adapters incompatible."""
        from peft.utils.hotswap import hotswap_adapter

        resident.model.set_adapter(peft_name, inference_mode=True)  # the config peft checks
        try:
            hotswap_adapter(
                resident.model,
                path,
                adapter_name=peft_name,
                torch_device=str(resident.inner.device),
            )
        except (ValueError, RuntimeError) as why:
            log.info("hot-swap into %s not possible (%s); reloading the slot", peft_name, why)
            return False
        return True

    def _drop(self, resident: Resident, slot: Slot, keep_wrapper: bool = False) -> None:
        if len(resident.model.peft_config) == 1 and not keep_wrapper:
            resident.model = resident.model.unload()  # back to the plain base, no LoRA layers
        else:
            resident.model.delete_adapter(slot.peft_name)


def device_of(settings: ServeSettings) -> str:
    import torch

    if settings.device != "auto":
        return settings.device
    return "cuda" if torch.cuda.is_available() else "cpu"


def load_base(path: str, settings: ServeSettings) -> tuple[Any, Any]:
    """A base (a folder, a hub id or an imported base's name) on the configured device."""
    from transformers.utils import logging as hf_logging

    from modelforge.hf_models import load_causal_lm

    hf_logging.disable_progress_bar()
    model, tokenizer = load_causal_lm(path, dtype=settings.dtype, device=device_of(settings))
    return model.eval(), tokenizer


def adapter_tokenizer(path: str, fallback):
    """The tokenizer saved beside an adapter (trainers save one), else the base's."""
    from pathlib import Path

    if not (Path(path) / "tokenizer_config.json").exists():
        return fallback
    from modelforge.hf_models import load_tokenizer

    return load_tokenizer(path)
