"""`modworker`: worker, scan, replay, record, demo (and eval, bench as they land)."""
from __future__ import annotations

import argparse
import logging
import sys

from workers.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="modworker", description="Streaming moderation worker")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("worker", help="run the faust worker (settings from MODWORKER_* variables)")

    s = sub.add_parser("scan", help="decide MessageEvent JSON lines offline, one output line per input line")
    s.add_argument("--input", required=True, help="JSONL file of MessageEvents, or - for standard input")
    s.add_argument("--output", default=None, help="output file (default: standard output)")
    s.add_argument("--policy", default=None, help="policy file (default: MODWORKER_POLICY_FILE)")

    r = sub.add_parser("replay", help="produce recorded records (or bare MessageEvent lines) into a topic")
    r.add_argument("file", help="JSONL file, or - for standard input")
    r.add_argument("--topic", required=True)
    r.add_argument("--bootstrap", default=None, help="default: MODWORKER_KAFKA_BOOTSTRAP")
    r.add_argument("--quiet", action="store_true")

    c = sub.add_parser("record", help="write a topic's records, from its beginning, as JSON lines")
    c.add_argument("--topic", required=True)
    c.add_argument("--output", required=True, help="JSONL file, or - for standard output")
    c.add_argument("--max", type=int, default=None, help="stop after N records")
    c.add_argument("--timeout", type=float, default=5.0, help="stop when no record came for S seconds")
    c.add_argument("--bootstrap", default=None, help="default: MODWORKER_KAFKA_BOOTSTRAP")

    e = sub.add_parser("eval", help="precision/recall of the core and policy on a labeled corpus")
    e.add_argument("--input", required=True, help="JSONL of MessageEvents")
    e.add_argument("--labels", required=True, help='JSONL of {"event_id", "labels", "kind", "hn_kind"}')
    e.add_argument("--policy", default=None, help="policy file (default: MODWORKER_POLICY_FILE)")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--top", type=int, default=15, help="how many worst misses and false alarms to show")

    d = sub.add_parser("demo", help="start the local stack, replay sample traffic, show what was enforced")
    d.add_argument("--sample", default=None, help="JSONL of MessageEvents (default: the bundled sample)")
    d.add_argument("--timeout", type=float, default=120.0, help="give up after S seconds")

    b = sub.add_parser("bench", help="throughput (worker vs. ceiling) and latency on the real broker and Redis")
    b.add_argument("--events", type=int, default=20_000, help="events in the throughput phases")
    b.add_argument("--json", action="store_true", help="print one JSON object (progress goes to stderr)")
    b.add_argument("--plot", default=None, help="write a PNG of throughput and latency (needs the bench extra)")
    b.add_argument("--replicas", type=int, default=1, help="processes per phase, in one consumer group")
    b.add_argument("--partitions", type=int, default=4, help="partitions of the run's topics")
    b.add_argument("--bootstrap", default=None, help="default: MODWORKER_KAFKA_BOOTSTRAP")
    b.add_argument("--redis-url", default=None, help="default: MODWORKER_REDIS_URL")
    b.add_argument("--profile", default=None, help="py-spy one worker process; raw collapsed stacks to FILE")
    b.add_argument("--offered", type=float, default=None, help="latency phase load, events/s (default: ceiling/2)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    if args.command == "worker":
        from workers.commands.worker import run_worker
        from workers.errors import KafkaAuthenticationError

        try:
            run_worker(settings)
        except KafkaAuthenticationError as exc:  # already logged with what to check; no traceback
            logging.getLogger("modworker.worker").critical(
                "worker stopped: %s", type(exc).__name__, extra={"error_class": type(exc).__name__})
            return 2
        return 0
    if args.command == "scan":
        from workers.commands.scan import run_scan
        from workers.core.policy import PolicyError, load_policy

        try:
            policy = load_policy(args.policy or settings.policy_file)
        except PolicyError as exc:
            print(f"modworker scan: {exc}", file=sys.stderr)
            return 2
        try:
            return run_scan(args.input, args.output, policy)
        except FileNotFoundError as exc:
            print(f"modworker scan: {exc}", file=sys.stderr)
            return 2
    if args.command == "replay":
        from workers.commands.topic_io import run_replay

        from workers.adapters.connections import kafka_python_kwargs

        client = kafka_python_kwargs(settings)
        if args.bootstrap:
            client["bootstrap_servers"] = args.bootstrap.split(",")
        return run_replay(args.file, args.topic, settings.kafka_bootstrap, args.quiet, client)
    if args.command == "record":
        from workers.commands.topic_io import run_record

        from workers.adapters.connections import kafka_python_kwargs

        client = kafka_python_kwargs(settings)
        if args.bootstrap:
            client["bootstrap_servers"] = args.bootstrap.split(",")
        return run_record(args.topic, args.output, settings.kafka_bootstrap, args.max, args.timeout, client)
    if args.command == "eval":
        from workers.commands.evaluate import run_eval
        from workers.core.policy import PolicyError, load_policy
        from workers.errors import EvalInputError

        try:
            return run_eval(args.input, args.labels, load_policy(args.policy or settings.policy_file), args.json,
                            args.top)
        except (EvalInputError, PolicyError, OSError) as exc:  # named problems, no traceback
            print(f"modworker eval: {exc}", file=sys.stderr)
            return 2
    if args.command == "demo":
        from workers.commands.demo import run_demo

        return run_demo(settings, args.sample, args.timeout)
    if args.command == "bench":
        from workers.bench.runner import run_bench

        return run_bench(settings, args.events, args.json, args.plot, args.replicas, args.partitions,
                         args.bootstrap, args.redis_url, args.profile, args.offered)
    return 2


if __name__ == "__main__":
    sys.exit(main())
