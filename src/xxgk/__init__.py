"""xxgk: Chinese government information-disclosure annual reports (政府信息公开工作年度报告) as data."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Report", "__version__", "extract_bytes", "extract_file", "extract_text"]

# Imported on first use: importing the package (as `xxgk` the command does before anything else) stays
# instant, so the command handles Ctrl-C and SIGTERM from its first moment (__main__.py).
_LAZY = {"Report": "xxgk.report.model", "extract_bytes": "xxgk.pipeline", "extract_file": "xxgk.pipeline",
         "extract_text": "xxgk.pipeline"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
