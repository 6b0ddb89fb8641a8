"""The compendium's own error types: each carries a message meant for the user, one line per problem."""

import re


class CompendiumError(Exception):
    """Base class: an error whose message is shown to the user as is, without a traceback."""


class InputError(CompendiumError):
    """Input data (a file, a column, a value) does not fit the codebook."""


class ParameterError(CompendiumError):
    """A build or simulation parameter is unknown or has a bad value."""


class BuildError(CompendiumError):
    """A notebook or the book build failed."""


def file_error(exc: OSError, where: object) -> BuildError:
    """A file operation that failed (a full disk, an unwritable folder) as one line naming the path.

    ``where`` is named when the error does not name a file; a ``shutil.Error`` (a copy of several files) is
    reported by its first file.

    >>> import errno, os
    >>> str(file_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/p/results/a.csv"), "/p"))
    '/p/results/a.csv: No space left on device'
    """
    if exc.args and isinstance(exc.args[0], list) and exc.args[0] and len(exc.args[0][0]) == 3:
        _, target, why = exc.args[0][0]  # shutil.Error: (source, target, "[Errno 28] No space left on device: '...'")
        reason = re.sub(r"^\[Errno \d+\] |: '.*$", "", str(why))
        return BuildError(f"{target}: {reason}")
    if isinstance(exc, FileExistsError) and exc.filename:
        return BuildError(f"{exc.filename}: exists and is not a folder")
    return BuildError(f"{exc.filename or where}: {exc.strerror or exc}")
