"""`modworker bench`: throughput and latency of the worker against the real broker and Redis.

- load.py      the benchmark traffic (texts from the dev corpus or the bundled sample) and its producer
- ceiling.py   the ceiling: a faust app with the worker's configuration that only decodes and forwards
- procs.py     child processes (workers, ceiling apps), their metrics, throughput over the common interval
- latency.py   the latency phase: paced fresh events into an idle worker, decided_at - event_time
- profile.py   py-spy on a worker process during the throughput phase, and a summary of its hot spots
- plot.py      the PNG (matplotlib, optional extra `bench`)
- runner.py    the whole run: namespaces, phases, clean-up; report.py its text report
"""
