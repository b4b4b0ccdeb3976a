"""The steps of the enrolment benchmark, bench/enrol.py: its data (`data`), the load through
gunicorn (`load`), the cost of one enrolment in-process (`serial`), py-spy on the workers
(`profiling`), what the database says afterwards (`checks`) and the report (`report`)."""
