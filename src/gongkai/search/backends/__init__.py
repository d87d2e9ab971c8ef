"""Search backends, one per database vendor; :mod:`gongkai.search.engine` picks one."""
