"""`gc_paused()`: the cyclic garbage collector kept out of one bulk computation.

Building 10,000 claims (or their 837), or parsing and posting a 10,000-claim ERA, allocates
hundreds of thousands to millions of objects that live until the work ends; every full
collection walks them again, with the whole application's objects, and cost about 30 % of the
assembly's and the file's CPU (bench/claims_837.py) and 40 % of an ERA posting's
(bench/era_post.py). Also usable as a decorator. Inside the
block objects are still freed by reference counting as usual; cycles wait for the collector,
which runs again when the block ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
