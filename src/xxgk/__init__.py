"""xxgk: Chinese government information-disclosure annual reports (政府信息公开工作年度报告) as data."""
from __future__ import annotations

__version__ = "0.1.0"

from xxgk.report.model import Report
from xxgk.pipeline import extract_bytes, extract_file, extract_text

__all__ = ["Report", "__version__", "extract_bytes", "extract_file", "extract_text"]
