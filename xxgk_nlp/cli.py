"""The `xxgk-nlp` command line (typer)."""
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Chinese 信息公开工作年度报告 into typed, checkable data.")


@app.callback()
def _root() -> None:
    """xxgk-nlp: extract, evaluate and show annual information-disclosure reports."""


# --- commands of other modules are registered below this line -------------


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
