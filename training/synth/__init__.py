"""The synthetic world: a reproducible population of visa applications, border entries,
interview outcomes and trafficking-database records, with the truth kept in a file of its own.

Public surface: :func:`generate_world` (what ``mizugiwa synth`` runs) and the generator's
tables in :mod:`training.synth.schemes` (schemes, observables and the oracle posterior).
"""

from mizugiwa.training.synth.world import FILES, GENERATOR_VERSION, WorldSummary, generate_world

__all__ = ["FILES", "GENERATOR_VERSION", "WorldSummary", "generate_world"]
