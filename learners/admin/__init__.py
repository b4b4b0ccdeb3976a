"""The enrolments area of the Wagtail admin: who enrolled where, and what organisers do about it.

- `listing`: the listing with filters, search, columns and CSV/XLSX export, and the queryset
  with the fields it shows (`with_listing_fields`), which the other views share;
- `objects`: an enrolment's details and its history (the audit entries written by the
  services), a session's overview (capacity, seats taken, the waiting list in order, each
  meeting's attendance, the completions proposed), promote by hand, record a meeting's
  attendance, confirm completions;
- `attendance`: what the overview shows of each meeting (`meeting_sections`);
- `bulk`: the bulk actions on the selected rows (present or absent at every meeting so far,
  completed, cancel);
- `links`: the area's URL namespace and the links between its views;
- `dashboard`: the admin home's panels (attendance to record, completions to confirm, next
  sessions, recent enrolments and cancellations).

Every view starts from `enrolments.permissions`: what it shows from `visible_enrolments` (an
institute's editors their institute's, programme managers and administrators all), what it
changes from `manageable_enrolments` (never a programme manager's), so an editor of one
institute never reaches another institute's learners, whatever the URL; every change goes
through `enrolments.services`. The viewset that wires these views is in `wagtail_hooks.py`.

This package stays free of imports: Django's admin autodiscovery imports `learners.admin` when
the apps are ready, and only `wagtail_hooks.py` needs the modules.
"""
