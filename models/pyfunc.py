"""The registered MLflow model: a ``pyfunc`` holding the scorer and the trafficking database.

``mlflow models serve`` serves it as it is. Input: a DataFrame with one column ``record``, each
row a visa application or a border entry as JSON text (the same JSON Lines schema the API and
``mizugiwa score`` accept; entries are recognised by ``entry_id``). Output: one row per record
with the calibrated probability of each concern, ``risk``, ``refer``, ``threshold``, the reason
codes of referred cases and the rules that fired.

The trafficking database the model was trained with is an artifact, so lookups work without a
database server; the service, which has the live database, uses :mod:`models.registry` instead.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import orjson
from mlflow.pyfunc import PythonModel

from mizugiwa.features.records import CONCERNS, BorderEntry, VisaApplication

OUTPUT_COLUMNS = (
    "case_id",
    "kind",
    *(c.value for c in CONCERNS),
    "risk",
    "refer",
    "threshold",
    "reason_codes",
    "rules_fired",
)

# A specimen application (ICAO's specimen state UTO): the signature's input example, so no
# person's data is ever logged with a model.
SPECIMEN_APPLICATION: dict[str, Any] = {
    "application_id": "SPECIMEN-1",
    "post_code": "MNL",
    "submitted_at": "2024-06-03T09:00:00Z",
    "visa_category": "spouse_of_japanese",
    "applicant": {
        "family_name": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "sex": "F",
        "date_of_birth": "1994-08-12",
        "nationality": "UTO",
        "languages": ["en"],
    },
    "passport": {
        "number": "L898902C3",
        "issuing_state": "UTO",
        "issue_date": "2020-04-15",
        "expiry_date": "2030-04-14",
    },
    "sponsor": {"role": "spouse", "family_name": "SPECIMEN", "date_of_birth": "1960-01-01"},
    "marriage": {
        "marriage_date": "2024-03-01",
        "first_met_date": "2024-01-10",
        "met_via": "agency",
        "common_languages": [],
    },
    "travel": {"ticket_paid_by": "sponsor", "return_ticket": False, "intended_stay_days": 365},
}


# What a served model needs: the package root (settings, logging) and the serving layers. Never
# ``training`` (the synthetic world, fitting code) nor ``service`` (the HTTP app).
SERVING_PACKAGES = ("features", "models")
_ROOT_MODULES = ("__init__.py", "settings.py", "logging.py")


def stage_serving_code(into: Path) -> Path:
    """Copy the code a served model imports into ``into/mizugiwa`` and return that folder, for
    MLflow's ``code_paths``: the ``mizugiwa`` package with only :data:`SERVING_PACKAGES`."""
    import shutil

    root = Path(__file__).resolve().parent.parent / "mizugiwa"
    target = into / "mizugiwa"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in _ROOT_MODULES:
        shutil.copy2(root / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SERVING_PACKAGES:
        shutil.copytree((root / name).resolve(), target / name, ignore=ignore)
    return target


def input_example() -> Any:
    """The logged input example: one specimen record."""
    import pandas as pd

    return pd.DataFrame({"record": [orjson.dumps(SPECIMEN_APPLICATION).decode()]})


def signature() -> Any:
    """Input: a ``record`` string column; output: the columns of :data:`OUTPUT_COLUMNS`."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    output: list[Any] = [ColSpec("string", "case_id"), ColSpec("string", "kind")]
    output += [ColSpec("double", c.value) for c in CONCERNS]
    output += [
        ColSpec("double", "risk"),
        ColSpec("boolean", "refer"),
        ColSpec("double", "threshold"),
        ColSpec("string", "reason_codes"),
        ColSpec("string", "rules_fired"),
    ]
    inputs: list[Any] = [ColSpec("string", "record")]
    return ModelSignature(inputs=Schema(inputs), outputs=Schema(list(output)))


class RecordError(ValueError):
    """A row of the input is not a valid application or entry; names the row and the field."""


def parse_records(texts: list[Any]) -> tuple[list[VisaApplication], list[BorderEntry], list[int]]:
    """Validate JSON records; returns applications, entries and each row's kind order."""
    from pydantic import ValidationError

    apps: list[VisaApplication] = []
    entries: list[BorderEntry] = []
    order: list[int] = []  # 0: application, 1: entry
    for row, text in enumerate(texts):
        try:
            data = orjson.loads(text) if isinstance(text, str | bytes) else dict(text)
        except (orjson.JSONDecodeError, TypeError, ValueError) as exc:
            raise RecordError(f"record {row}: not a JSON object ({exc})") from exc
        try:
            if "entry_id" in data:
                entries.append(BorderEntry.model_validate(data))
                order.append(1)
            else:
                apps.append(VisaApplication.model_validate(data))
                order.append(0)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "record"
            raise RecordError(f"record {row}: {field}: {err['msg']}") from exc
    return apps, entries, order


class MizugiwaModel(PythonModel):
    """The scorer as an MLflow pyfunc (see the module doc)."""

    def load_context(self, context: Any) -> None:
        """Unpickle the scorer (refusing other features) and build the lookup context."""
        from mizugiwa.features.indicators import FeatureContext
        from mizugiwa.features.tipdb.snapshot import Snapshot

        with Path(context.artifacts["scorer"]).open("rb") as handle:
            self.scorer = pickle.load(handle)
        self.scorer.check_features()
        tipdb = context.artifacts.get("tipdb")
        lines = (
            [orjson.loads(x) for x in Path(tipdb).read_bytes().splitlines() if x.strip()]
            if tipdb
            else []
        )
        index = None
        if lines:
            from mizugiwa.features.matching import WatchlistIndex

            index = WatchlistIndex.build(lines)
        self.ctx = FeatureContext(snapshot=Snapshot.from_entities(lines), index=index)

    def predict(self, context, model_input, params=None):  # MLflow reads no type hints here
        """Score the records of ``model_input`` (see :func:`predict_frame`)."""
        return predict_frame(self.scorer, self.ctx, model_input)


def predict_frame(scorer: Any, ctx: Any, model_input: Any) -> Any:
    """Score a DataFrame of JSON records (column ``record``) into the output columns."""
    import pandas as pd

    if isinstance(model_input, pd.DataFrame):
        if "record" not in model_input.columns:
            raise RecordError("input needs a column 'record' holding each record's JSON")
        texts = model_input["record"].tolist()
    else:
        texts = list(model_input)
    apps, entries, order = parse_records(texts)
    app_scores = scorer.score_applications(apps, ctx)
    linked = {a.application_id: a for a in apps}
    entry_scores = scorer.score_entries(entries, ctx, linked)
    streams = [iter(app_scores), iter(entry_scores)]
    rows = []
    for kind in order:
        s = next(streams[kind])
        row: dict[str, Any] = {"case_id": s.case_id, "kind": s.kind}
        row.update({c.value: float(s.probabilities[c]) for c in CONCERNS})
        row.update(
            risk=s.risk,
            refer=s.refer,
            threshold=s.threshold,
            reason_codes=",".join(r.code for r in s.reasons),
            rules_fired=",".join(r.code for r in s.rules_fired),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
