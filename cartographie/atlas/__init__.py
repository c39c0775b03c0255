"""The atlas: every map and a static HTML site that works from the file system."""

from cartographie.atlas.build import AtlasOptions, AtlasResult, build_atlas

__all__ = ["AtlasOptions", "AtlasResult", "build_atlas"]
