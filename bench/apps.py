"""Benchmark tools as a dev-only Django app: the ``generate_synthetic`` command.

Installed by the development and test settings only (``partnerhub.settings.dev``,
``partnerhub.settings.test``); production settings do not install it and the
package build leaves ``bench/`` out, so synthetic data generation never ships.
"""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmarks (development only)"
