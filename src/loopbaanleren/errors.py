"""The compendium's own error types: each carries a message meant for the user, one line per problem."""

import contextlib
import errno
import re


class CompendiumError(Exception):
    """Base class: an error whose message is shown to the user as is, without a traceback."""


class InputError(CompendiumError):
    """Input data (a file, a column, a value) does not fit the codebook."""


class ParameterError(CompendiumError):
    """A build or simulation parameter is unknown or has a bad value."""


class BuildError(CompendiumError):
    """A notebook or the book build failed."""


@contextlib.contextmanager
def writing(path: object):
    """Within the block, an ``OSError`` that names no file (a write to a full disk, say) names ``path``."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise


def file_error(exc: OSError, where: object, needed: str = "") -> BuildError:
    """A file operation that failed (a full disk, an unwritable folder) as one line naming the path.

    ``where`` is named when the error does not name a file; a ``shutil.Error`` (a copy of several files) is
    reported by its first file, a failed copy by its target. A full disk adds ``needed`` (the space the work
    needs, as text) when given.

    >>> import errno, os
    >>> str(file_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/p/results/a.csv"), "/p"))
    '/p/results/a.csv: No space left on device'
    """
    if exc.args and isinstance(exc.args[0], list) and exc.args[0] and len(exc.args[0][0]) == 3:
        _, target, why = exc.args[0][0]  # shutil.Error: (source, target, "[Errno 28] No space left on device: '...'")
        reason = re.sub(r"^\[Errno \d+\] |: '.*$", "", str(why))
        full = needed and str(why).startswith(f"[Errno {errno.ENOSPC}]")
        return BuildError(f"{target}: {reason}" + (f" ({needed})" if full else ""))
    if isinstance(exc, FileExistsError) and exc.filename:
        return BuildError(f"{exc.filename}: exists and is not a folder")
    said = str(exc.strerror or exc)
    space = f" ({needed})" if needed and exc.errno == errno.ENOSPC and "need" not in said else ""
    return BuildError(f"{exc.filename2 or exc.filename or where}: {said}{space}")
