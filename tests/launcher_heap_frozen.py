"""Imported last by forked_command.py's launcher: what it has imported (guidewright,
questionary, pygls: some 83,000 objects) is moved out of the cyclic garbage collector's
reach before any run is forked from it, as gc.freeze is meant for.

A collection in a forked run that reaches those objects writes to every page holding
them, copying the launcher's heap into the run. Measured on this module's launcher: a
full collection in a run took 76 ms and 6,400 page faults, against 0.1 ms and 300 with
the heap frozen; a `check` of 60 pages, which makes no full collection, about 3 ms and
200 page faults less of its 130 ms. What a run does is unchanged: a frozen object is
still freed when nothing refers to it, and every object the run makes is collected as
before. A run that forks workers unfreezes the heap (core/parallel.py), and its later
collections walk it all again, as a new process's would."""

import gc

gc.collect()
gc.freeze()
