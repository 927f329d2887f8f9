"""Typed errors. A record that raises a DecodeError is dead-lettered with the error's class name."""
from __future__ import annotations


class ModworkerError(Exception):
    """Base of every error modworker raises on purpose."""


class DecodeError(ModworkerError):
    """A record could not be turned into a MessageEvent."""


class TooLarge(DecodeError):
    """The record is over the size limit; it is refused before parsing."""


class InvalidEncoding(DecodeError):
    """The record's bytes are not valid UTF-8."""


class InvalidJson(DecodeError):
    """The record is not JSON, or JSON nested too deeply."""


class NotAnObject(DecodeError):
    """The record is JSON but not an object."""


class InvalidEvent(DecodeError):
    """The record is a JSON object that does not satisfy the MessageEvent contract."""


class EvalInputError(ModworkerError):
    """`modworker eval` was given a corpus it cannot score: an unreadable event or label line, a labeled event
    missing from the events, an id given twice. The message names every problem (file and line) it found."""


class CountersUnavailable(ModworkerError):
    """The counter store (Redis) could not be reached or answered with an error."""


class DuplicateEvent(DecodeError):
    """The event id was already used by another record (a different topic, partition or offset)."""


class KafkaAuthenticationError(ModworkerError):
    """The broker refused the SASL login: retrying cannot help, so the caller stops at once."""
