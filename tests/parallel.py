"""How pytest-xdist shares the tests between workers (`make test` runs `-n 2`).

pytest-django orders the tests: those in a transaction first, then the transactional ones
(`transaction=True`: live server, threads, real commits), whose teardown empties the database
(`serialized_rollback` puts the migrations' rows back only at the next such test's start),
then those without a database. Every worker must keep that order. And a module that builds its
data once (`tests.shared_data`) should be run by one worker, which builds it once.

`ModuleRunScheduling` does both: a run of consecutive tests of one module in the collection is
one unit of work, and units are handed out in the collection's order, so each worker runs
whole runs, in order. A module's transactional tests are a run of their own, at the end.
"""

from xdist.scheduler import LoadScopeScheduling


def module_runs(collection):
    """{nodeid: unit}: consecutive tests of the same module form one unit."""
    units, previous, number = {}, None, 0
    for nodeid in collection:
        module = nodeid.split("::", 1)[0]
        if module != previous:
            previous, number = module, number + 1
        units[nodeid] = f"{number:04d} {module}"
    return units


class ModuleRunScheduling(LoadScopeScheduling):
    """`--dist loadscope`, with runs of one module as scopes and the collection's order kept."""

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.units = None
        # xdist would otherwise hand out the largest units first, out of order.
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid):
        if self.units is None:
            self.units = module_runs(next(iter(self.registered_collections.values())))
        return self.units[nodeid]
