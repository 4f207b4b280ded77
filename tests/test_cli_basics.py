"""The command line as users meet it: a subprocess, exit codes, sentences on stderr."""

from __future__ import annotations

import subprocess
import sys

from chainrule.cli import main


def test_no_command_prints_help_and_exits_2(capsys: object) -> None:
    assert main([]) == 2


def test_unknown_option_is_usage_error() -> None:
    assert main(["derive", "--no-such-option"]) == 2


def test_python_dash_m_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "check" in proc.stdout and "derive" in proc.stdout
