"""Building blocks of `workers.core.normalize`: the character table, traditional -> simplified, and the
rewrite rules. Pure: no I/O, no service clients."""
