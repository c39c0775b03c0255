"""Every file the tool reads from a user, and every file or folder it writes, goes through here.

- :mod:`cartographie.files.reading`: one reading function (:func:`read_file`) and one walk
  (:func:`walk_files`) for anything a user or a merge request wrote — regular files only, inside
  their root, never blocking, bounded in size;
- :mod:`cartographie.files.writing`: one atomic file writer (:func:`write_file_atomic`) and one
  guarded folder writer (:class:`StagedFolder`, :func:`write_folder`): a folder is built beside
  its target and swapped in whole, and ``--force`` replaces only a folder this tool wrote.

DESIGN.md §12 states the rule; these modules make it a property of the code rather than of
each command.
"""

from cartographie.files.reading import (
    MAX_FILE_BYTES,
    FileRefused,
    FolderListing,
    read_file,
    walk_files,
)
from cartographie.files.writing import (
    CSV_FOLDER,
    INVENTORY_FOLDER,
    FolderKind,
    StagedFolder,
    check_folder,
    marked_folder,
    recover_interrupted,
    write_file_atomic,
    write_files_atomic,
    write_folder,
    write_output_file,
    write_staged_file,
)

__all__ = [
    "CSV_FOLDER",
    "INVENTORY_FOLDER",
    "MAX_FILE_BYTES",
    "FileRefused",
    "FolderKind",
    "FolderListing",
    "StagedFolder",
    "check_folder",
    "marked_folder",
    "read_file",
    "recover_interrupted",
    "walk_files",
    "write_file_atomic",
    "write_files_atomic",
    "write_folder",
    "write_output_file",
    "write_staged_file",
]
