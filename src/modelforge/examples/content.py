"""Content identity: the normalised hash for exact duplicates, MinHash bands for near ones.

Near-duplicates are looked up by LSH: the signature is cut into BANDS bands of ROWS values and
each band hashed to a bucket; only examples sharing a bucket are compared, so the cost of a
check does not grow with the number of stored examples.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata

BANDS = 16
ROWS = 4
PERMUTATIONS = BANDS * ROWS
SHINGLE = 3
_PRIME = (1 << 61) - 1
_MASK = (1 << 32) - 1


def _coefficients() -> list[tuple[int, int]]:
    """Fixed hash permutations: stored signatures must stay comparable across runs."""
    out = []
    for index in range(PERMUTATIONS):
        digest = hashlib.blake2b(f"minhash-{index}".encode(), digest_size=16).digest()
        a, b = struct.unpack("<QQ", digest)
        out.append((a % (_PRIME - 1) + 1, b % _PRIME))
    return out


_COEFFICIENTS = _coefficients()


def normalise(text: str) -> str:
    """NFKC, lower case, runs of whitespace as one space: formatting never makes content new."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _shingles(text: str) -> set[int]:
    text = normalise(text)
    grams = {text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    return {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams
    }


def signature(text: str) -> bytes:
    """The MinHash signature of the text's character shingles, PERMUTATIONS 32-bit values."""
    shingles = _shingles(text)
    values = [min(((a * s + b) % _PRIME) & _MASK for s in shingles) for a, b in _COEFFICIENTS]
    return struct.pack(f"<{PERMUTATIONS}I", *values)


def bands(sig: bytes) -> list[int]:
    """One signed 64-bit bucket per band (SQLite INTEGER); the band's number is hashed in too."""
    width = ROWS * 4
    return [
        struct.unpack(
            "<q",
            hashlib.blake2b(bytes([i]) + sig[i * width : (i + 1) * width], digest_size=8).digest(),
        )[0]
        for i in range(BANDS)
    ]


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of two signatures' shingle sets."""
    a = struct.unpack(f"<{PERMUTATIONS}I", first)
    b = struct.unpack(f"<{PERMUTATIONS}I", second)
    return sum(x == y for x, y in zip(a, b)) / PERMUTATIONS
