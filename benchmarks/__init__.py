"""Benchmarks of cartographie: scripts that print figures against a reference measured in the
same run (raw YAML parse, raw Graphviz). Never pass/fail timers; see benchmarks/README.md."""
