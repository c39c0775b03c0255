"""The command line: a thin layer of typer commands over the library.

Each command module parses options, makes one library call, turns library errors into a message
and an exit code (0 success, 1 invalid data, 2 misuse) and prints. Library modules are imported
inside the commands, so that ``cartographie --help`` starts without loading pydantic or networkx.
"""
