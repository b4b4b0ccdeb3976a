"""What enrolments tell the apps above, which connect to these signals in their `ready()`.

- `enrolment_completed(sender=Enrolment, enrolment, actor)`: an enrolment has just been marked
  completed, inside the transaction that marks it (queue follow-up work on commit);
  `certificates` issues the certificate.
"""

from django.dispatch import Signal

enrolment_completed = Signal()
