"""``loopbaanleren`` and ``python -m loopbaanleren``: the command line interface, interruptible from the start.

The signal handlers are installed before the (slow) import of the interface, so that SIGINT or SIGTERM at any
moment, also during start-up, ends the command with one line on stderr and exit code 130 or 143.
"""

from loopbaanleren import interrupt


def main() -> None:
    """Run the command line interface under ``interrupt.handling``."""
    try:
        with interrupt.handling(exit_on_hang=True):
            interrupt.checkpoint("startup")
            from loopbaanleren.cli import app

            app(prog_name="loopbaanleren")
    except interrupt.Interrupted as exc:
        interrupt.exit_now(interrupt.report(exc))


if __name__ == "__main__":
    main()
