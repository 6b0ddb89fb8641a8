"""``loopbaanleren`` and ``python -m loopbaanleren``: the command line interface, interruptible from the start.

The signal handlers are installed before the (slow) import of the interface, so that SIGINT or SIGTERM at any
moment, also during start-up, ends the command with one line on stderr and exit code 130 or 143. Whatever way the
command ends, the processes it started are ended with it.
"""

from loopbaanleren.build import interrupt


def main() -> None:
    """Run the command line interface under ``interrupt.handling``; whatever way it ends, no process it started
    outlives it (the fork server of the notebooks' kernels and its resource tracker included, which would otherwise
    hold the command's standard output open a moment longer, or for good where a kernel was orphaned)."""
    try:
        with interrupt.handling(exit_on_hang=True):
            interrupt.checkpoint("startup")
            from loopbaanleren.build.cli import app

            try:
                app(prog_name="loopbaanleren")
            finally:
                interrupt.terminate_children()
    except interrupt.Interrupted as exc:
        interrupt.exit_now(interrupt.report(exc))


if __name__ == "__main__":
    main()
