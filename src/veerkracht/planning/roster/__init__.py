"""Rostering: the problem and solution model, the working-time rules and the independent checker.

Pure: no Django.  ``model`` defines the JSON formats (docs/roster-format.md), ``rules`` the
Dutch Working Hours Act checks on one employee's shifts, ``check`` the checker of a whole
solution against its problem.  The solver lives beside them.
"""
