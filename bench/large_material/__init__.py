"""The steps of the material benchmark, bench/material.py: the S3 and web servers (`servers`),
the database (`data`), the PDF (`pdf`), the admin driven as a browser would (`browser`), the
worker's memory (`memory`), the ORM through `manage.py shell` (`orm`), one file moved through
the web process (`measure`) and the report (`report`).

A step that finds something wrong raises `Failure`: the run reports it and exits 1.
"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
