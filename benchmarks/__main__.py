"""`python -m benchmarks run [--scale S] [--workload W1 …] [--format table|json]`.

The other commands (`side`, `load`, `serve`, `generate`) are what `run` starts
in child processes; they can be run by hand to profile one side.
"""

import argparse
import dataclasses
import json
import os
import tempfile
from pathlib import Path

from benchmarks.scales import SCALES

DEFAULT_DATA = Path(
    os.environ.get(
        "TENURE_BENCHMARK_DATA", Path(tempfile.gettempdir()) / "tenure-bench"
    )
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    commands = parser.add_subparsers(dest="command", required=True)

    def _positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
        return int(text)

    def scaled(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--scale", choices=sorted(SCALES), default="small")
        command.add_argument("--data", type=Path, default=DEFAULT_DATA)
        command.add_argument(
            "--clients",
            type=_positive,
            help="concurrent clients of W5 (default: the scale's)",
        )
        return command

    run = scaled("run", "run workloads and print Tenure beside its baselines")
    every = ["W1", "W2", "W3", "W4", "W5"]
    run.add_argument("--workload", nargs="+", choices=every, default=every)
    run.add_argument("--format", choices=("table", "json"), default="table")

    scaled("generate", "generate a scale's data (run does it when missing)")
    side = scaled("side", "one side of a workload, in this process")
    side.add_argument("workload")
    side.add_argument("side", choices=("tenure", "baseline"))
    side.add_argument("--result", type=Path, required=True)
    load = scaled("load", "drive a benchmark server as its clients")
    load.add_argument("workload")
    load.add_argument("--url", required=True)
    load.add_argument("--result", type=Path, required=True)
    serve = commands.add_parser("serve", help="serve a workspace on 127.0.0.1")
    serve.add_argument("--home", type=Path, required=True)
    serve.add_argument("--port", type=int, required=True)
    return parser


def main() -> None:
    arguments = _parser().parse_args()
    if arguments.command == "serve":
        from tenure.cli.serve import serve_workspace
        from tenure.core.settings import Settings
        from tenure.core.workspace import open_workspace

        workspace = open_workspace(Settings(home=arguments.home))
        serve_workspace(workspace, host="127.0.0.1", port=arguments.port)
        return
    scale = SCALES[arguments.scale]
    if arguments.clients:
        scale = dataclasses.replace(scale, clients=arguments.clients)
    if arguments.command == "generate":
        from benchmarks.generate import ensure_data

        print(ensure_data(arguments.data, scale))
    elif arguments.command == "side":
        from benchmarks.generate import data_folder
        from benchmarks.runner import run_side

        folder = data_folder(arguments.data, scale)
        measured = run_side(arguments.workload, arguments.side, folder, scale)
        arguments.result.write_text(json.dumps(measured, default=str))
    elif arguments.command == "load":
        from benchmarks.generate import data_folder
        from benchmarks.runner import run_load

        folder = data_folder(arguments.data, scale)
        measured = run_load(arguments.workload, arguments.url, folder, scale)
        arguments.result.write_text(json.dumps(measured, default=str))
    else:
        from benchmarks.runner import as_json, run_workload, table

        results = [
            run_workload(name, scale, arguments.data) for name in arguments.workload
        ]
        print(as_json(results) if arguments.format == "json" else table(results))


if __name__ == "__main__":
    main()
