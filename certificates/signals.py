"""What certificates tell whoever listens (receivers connect in their app's `ready()`).

- `certificate_issued(sender=Certificate, certificate)`: a certificate was issued or re-issued,
  inside the transaction that issues it; `certificates.receivers` renders its PDF after commit.
"""

from django.dispatch import Signal

certificate_issued = Signal()
