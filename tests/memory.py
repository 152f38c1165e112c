"""Peak memory of a call, for the tests that bound what a bad or huge input may cost."""

from __future__ import annotations

import tracemalloc


def peak_bytes(fn) -> int:
    """Largest number of bytes Python allocations held at once while ``fn()`` ran."""
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak
