"""The refusals of enrolment rules (see `jazari.errors` for how entry points answer them)."""

from jazari.errors import DomainError


class EnrolmentError(DomainError):
    """An enrolment rule forbids the change: closed, full, too late, not allowed…"""
