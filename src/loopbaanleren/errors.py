"""The compendium's own error types: each carries a message meant for the user, one line per problem."""


class CompendiumError(Exception):
    """Base class: an error whose message is shown to the user as is, without a traceback."""


class InputError(CompendiumError):
    """Input data (a file, a column, a value) does not fit the codebook."""


class ParameterError(CompendiumError):
    """A build or simulation parameter is unknown or has a bad value."""


class BuildError(CompendiumError):
    """A notebook or the book build failed."""
