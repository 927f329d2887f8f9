"""The pure core: normalization, handles, detectors, scoring and policy.

Nothing in this package imports faust, kafka, aiokafka, redis or prometheus_client (a test guards it).
I/O lives in workers.adapters and is passed in.
"""
