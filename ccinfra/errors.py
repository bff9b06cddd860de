"""One error tree for the whole library; the CLI maps it to a one-line message.

CcinfraError
├── SpecError        the site description (YAML) or a flag value is wrong
├── PlanError        a plan.json cannot be read or is not a ccinfra plan
├── RenderError      a template failed or a rendered config broke an invariant
├── LabError         an emulated device could not start
└── PushError        talking to a device failed
    ├── ConnectError     the device did not answer / connection dropped
    ├── AuthError        wrong credentials or enable secret
    ├── HostKeyError     the SSH host key is unknown or changed
    ├── CommitError      a config line was rejected
    └── VerifyError      running config does not match the intended one after commit
"""

from __future__ import annotations


class CcinfraError(Exception):
    """Base of every error ccinfra raises on purpose. ``str(err)`` is one line for the user."""

    exit_code = 1


class SpecError(CcinfraError):
    """Bad input: names the field and says how to fix it."""


class PlanError(CcinfraError):
    """A plan file is missing, unreadable or not a ccinfra plan."""


class RenderError(CcinfraError):
    """A template could not render or the rendered text broke an invariant."""


class LabError(CcinfraError):
    """An emulated lab device could not be started."""


class PushError(CcinfraError):
    """Base of the errors raised while talking to a device."""


class ConnectError(PushError):
    """The device could not be reached, or the session dropped."""


class AuthError(PushError):
    """Login or enable was refused."""


class HostKeyError(PushError):
    """The SSH host key is not known or does not match."""


class CommitError(PushError):
    """A configuration line was rejected by the device."""


class VerifyError(PushError):
    """After a commit the running config still differs from the intended one."""


class InterruptedPush(CommitError):
    """The push was asked to stop (a signal) before the change was verified: it is rolled back."""


class RevertTimerExpired(PushError):
    """The device's revert timer ran out before ``configure confirm``: it restored its archive itself."""


class ConcurrentChange(PushError):
    """The running config changed between our verify and our confirm: someone else is configuring it."""


class DeviceBusy(PushError):
    """Another change holds the device (a lock file, or someone else's pending revert timer): not touched."""
