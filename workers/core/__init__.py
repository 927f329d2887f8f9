"""The pure core: normalization, handles, detectors, scoring and policy.

Nothing in this package imports faust, kafka, aiokafka, redis or prometheus_client (a test guards it).
I/O lives in workers.adapters and is passed in.
"""
from workers.core import native as _native

_native.check()  # compiled modules (setup.py, mypyc) must match their source
