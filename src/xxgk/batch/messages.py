"""What `xxgk extract` says at the end of a run, as lines of text (the command line prints them on stderr)."""
from __future__ import annotations

from pathlib import Path

from xxgk.batch.run import Summary


def run_lines(summary: Summary, out: Path, prune: bool, quiet: bool) -> list[str]:
    """Warnings, failures, unreadable folders, a refused or due prune, and the counts (unless `quiet` and
    nothing failed)."""
    lines = [f"xxgk: warning: {warning}" for warning in summary.warnings]
    lines += [f"xxgk: cannot parse {failure}" for failure in summary.failures]
    lines += [f"xxgk: cannot read folder {folder}; its outputs are kept as they were, and the files under it "
              "were not read: they have no record of this run (exit 1)" for folder in summary.unreadable_folders]
    if summary.prune_refused:
        lines.append(f"xxgk: {summary.prune_refused}")
    elif summary.gone and not prune and not quiet:
        lines.append(f"xxgk: {summary.gone} output(s) have no input any more (remove them with --prune), "
                     f"e.g. {summary.gone_inputs[0]}")
    if not quiet or summary.failed or summary.unreadable_folders:
        lines.append(f"xxgk: {summary.seen} files seen, {summary.parsed} parsed, {summary.unchanged} unchanged, "
                     f"{summary.with_errors} with errors, {summary.failed} failed, {summary.gone} gone"
                     f"{f' ({summary.pruned} pruned)' if summary.pruned else ''}; {summary.skipped} skipped, "
                     f"{summary.not_reports} not reports; {summary.seconds:.2f}s, "
                     f"{summary.reports_per_second:.0f} reports/s -> {out}")
    return lines


def progress_line(summary: Summary) -> str:
    return f"{summary.seen} seen, {summary.parsed} parsed, {summary.unchanged} unchanged"
