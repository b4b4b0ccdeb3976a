"""The enrolments area of the Wagtail admin: who enrolled where, and what organisers do about it.

- `listing`: the listing with filters, search, columns and CSV/XLSX export, and the queryset
  with the fields it shows (`with_listing_fields`), which the other views share;
- `objects`: an enrolment's details and its history (the audit entries written by the
  services), a session's overview (capacity, seats taken, the waiting list in order) and
  promote by hand;
- `bulk`: the bulk actions on the selected rows (attended, no-show, completed, cancel);
- `links`: the area's URL namespace and the links between its views.

Every view starts from `learners.permissions.visible_enrolments(request.user)`, so an editor of
one institute never reaches another institute's learners, whatever the URL; every change goes
through `enrolments.services`. The viewset that wires these views is in `wagtail_hooks.py`.

This package stays free of imports: Django's admin autodiscovery imports `learners.admin` when
the apps are ready, and only `wagtail_hooks.py` needs the modules.
"""
