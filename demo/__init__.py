"""Demo data for Jazari Skills, written by `manage.py seed_demo`.

- `data`: the fixed, hand-written content (network, skills framework, instructors, courses);
- `plan`: the courses and sessions to have, computed without the database;
- `covers`: cover images drawn with Pillow;
- `courses`: writes the course pages and their sessions in bulk;
- `indexing`: search and reference indexing in bulk while per-save indexing is paused;
- `users`: the administrator and the demo learners;
- `enrolments`: their enrolments, of every status;
- `certificates`: the certificates of their completed enrolments (PDFs rendered on download);
- `materials`: a few real files (slides, dataset, notebook, reading list) on some courses;
- `builder`: puts it all together, idempotently.
"""
