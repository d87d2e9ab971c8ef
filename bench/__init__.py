"""The benchmark suite of issue 9 (``make bench``); see bench/run.py and docs/performance.md."""
