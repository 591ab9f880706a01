"""One cache for the work reports repeat: short lines, labels and headings recur across reports."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")
SHORT = 200  # longer texts (single-line pages) are rarely repeated and would bloat the cache


def cache_short(maxsize: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a function of a string (first argument) in a bounded LRU cache when the string is short."""
    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(text: str, *rest) -> Result:
            return cached(text, *rest) if len(text) <= SHORT else function(text, *rest)

        return call
    return decorate
