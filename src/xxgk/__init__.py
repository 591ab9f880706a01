"""xxgk: Chinese government information-disclosure annual reports (政府信息公开工作年度报告) as data."""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Report  # noqa: E402
from .pipeline import extract_bytes, extract_file, extract_text  # noqa: E402

__all__ = ["Report", "extract_bytes", "extract_file", "extract_text", "__version__"]
