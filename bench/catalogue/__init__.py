"""The steps of the catalogue benchmark, bench/run.py: its data (`data`), the measurements made
in-process (`in_process`) and through gunicorn (`load`), and the report (`report`)."""
