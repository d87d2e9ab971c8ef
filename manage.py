#!/usr/bin/env python
"""Development convenience: the same as the ``gongkai`` console script."""

from gongkai.cli import main

if __name__ == "__main__":
    main()
