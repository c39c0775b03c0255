"""Print pip constraints pinning each runtime dependency to the lower bound pyproject declares.

CI installs the project under these constraints and runs the tests, so that a lower bound we
publish is one we have tested ("pin lower bounds; test what you pin").
"""

from __future__ import annotations

import re
import sys
import tomllib

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def main(path: str) -> None:
    with open(path, "rb") as handle:
        project = tomllib.load(handle)["project"]
    for requirement in project["dependencies"]:
        match = REQUIREMENT.match(requirement)
        if match:
            print(f"{match.group(1)}=={match.group(2)}")


if __name__ == "__main__":
    main(sys.argv[1])
