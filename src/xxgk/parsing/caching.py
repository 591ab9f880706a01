"""One cache for the work reports repeat: short lines, labels and headings recur across reports.

Bounded by size, not only by entries: a cache holds at most `maxsize` entries of strings of at most
SHORT characters and about BUDGET bytes in all (a string's key counted at 2 bytes a character, each
item of a result at ITEM_BYTES); a result of more than MAX_ITEMS items is not kept. Filled with
32,768 adversarial lines of 200 characters, the line-token cache held 196 MB before these bounds.
So the memory a cache holds is bounded whatever the input, and does not grow with the number of
reports.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")
SHORT = 200  # longer texts (single-line pages) are rarely repeated and would bloat the cache
MAX_ITEMS = 24  # a longer result (a tuple of tokens) is computed again rather than kept
BUDGET = 16 * 1024 * 1024  # estimated bytes one cache may hold
ITEM_BYTES = 120  # a token: its tuple and its text


def cache_short(maxsize: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a function of a string (first argument) when the string is short and the result small.

    Entries leave in the order they came (the recurring labels of a template come back at once).
    """
    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        store: dict = {}
        costs: dict = {}
        held = [0]
        missing = object()

        @functools.wraps(function)
        def call(text: str, *rest) -> Result:
            if len(text) > SHORT:
                return function(text, *rest)
            key = (text, *rest) if rest else text
            result = store.get(key, missing)
            if result is not missing:
                return result
            result = function(text, *rest)
            items = len(result) if isinstance(result, (tuple, list)) else 1
            if items <= MAX_ITEMS:
                cost = 2 * len(text) + ITEM_BYTES * items + 100
                while store and (len(store) >= maxsize or held[0] + cost > BUDGET):
                    oldest = next(iter(store))
                    del store[oldest]
                    held[0] -= costs.pop(oldest)
                store[key] = result
                costs[key] = cost
                held[0] += cost
            return result

        def cache_clear() -> None:
            store.clear()
            costs.clear()
            held[0] = 0

        call.cache_clear = cache_clear  # type: ignore[attr-defined]
        return call
    return decorate
