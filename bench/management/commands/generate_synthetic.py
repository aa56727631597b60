import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.synthetic import generate
from bench.synthetic import multiply as multiply_rows
from partnerhub.changes import compact_log


class Command(BaseCommand):
    help = (
        "Create realistic synthetic organisations and open project ideas for load tests and "
        "benchmarks; the same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=1000)
        parser.add_argument("--ideas", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--multiply",
            type=int,
            default=1,
            help="then copy every organisation and idea so there are N times as many "
            "(numbered names; the million-row benchmark in minutes)",
        )

    def handle(self, *args, organisations, ideas, seed, multiply, **options):
        if organisations < 0 or ideas < 0 or multiply < 1:
            raise CommandError(
                "--organisations and --ideas must not be negative, --multiply at least 1."
            )
        started = time.perf_counter()
        result = generate(organisations=organisations, ideas=ideas, seed=seed)
        copied = multiply_rows(multiply)
        result.organisations += copied.organisations
        result.ideas += copied.ideas
        result.relations += copied.relations
        # The triggers logged every inserted row; one "rebuild" row says the same for less.
        compacted = compact_log()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics after the bulk load: with the planner still counting a
            # million change-log rows, each poll of the log scanned its whole index
            # (12 ms instead of 0.05 at 100,000 organisations). Autovacuum would get
            # there in time; a benchmark should not wait for it.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Created {result.organisations} organisations ({result.relations} taxonomy links) "
            f"and {result.ideas} ideas in {time.perf_counter() - started:.1f} s "
            f"(change log compacted: {compacted} rows)."
        )
