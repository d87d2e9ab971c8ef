"""Synthetic data at province scale (``gongkai synth``), for benchmarks and load tests.

See :mod:`gongkai.synth.generator`.
"""
