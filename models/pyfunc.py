"""The registered MLflow model: a ``pyfunc`` holding the scorer and the trafficking database.

``mlflow models serve`` serves it as it is. Input: a DataFrame with a column ``record``, each
row a case of any registered kind (``mizugiwa.features.kinds``) as JSON text, the same JSON
Lines schema the API and ``mizugiwa score`` accept. The kind is explicit (an optional ``kind``
column, or a ``"kind"`` key in the record) or recognised by the one kind whose id field the
record carries. Output: one row per record with the calibrated probability of each concern,
``risk``, ``refer``, ``threshold``, the reason codes of referred cases and the rules that fired.

The records of one call are scored together as ``mizugiwa score`` scores a file: the network
history behind the cross-post ``NW-*`` indicators holds the call's cases (each sees only
strictly earlier ones), and a case linked to another of the same call (an entry naming its
application) gets it. The context comes from the same factory as everywhere else
(:mod:`mizugiwa.features.context_factory`); the scorer from the one loader
(:mod:`mizugiwa.models.loader`). The trafficking database the model was trained with is an
artifact, so lookups work without a database server; the service, which has the live database,
uses :mod:`models.registry` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from mlflow.pyfunc import PythonModel

from mizugiwa.features.records import CONCERNS

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
    """Input: a ``record`` string column and an optional ``kind`` column; output: the columns
    of :data:`OUTPUT_COLUMNS`."""
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
    inputs: list[Any] = [ColSpec("string", "record"), ColSpec("string", "kind", required=False)]
    return ModelSignature(inputs=Schema(inputs), outputs=Schema(list(output)))


class RecordError(ValueError):
    """A row of the input is not a valid case of a registered kind; names the row and the
    field."""


def parse_records(
    texts: list[Any], kinds_given: list[Any] | None = None
) -> tuple[dict[str, list[Any]], list[tuple[str, int]]]:
    """Validate JSON records: the records per kind, and each row's (kind, position)."""
    from pydantic import ValidationError

    from mizugiwa.features.kinds import UnknownKindError, kind, kind_of_record

    by_kind: dict[str, list[Any]] = {}
    order: list[tuple[str, int]] = []
    for row, text in enumerate(texts):
        try:
            data = orjson.loads(text) if isinstance(text, str | bytes) else dict(text)
        except (orjson.JSONDecodeError, TypeError, ValueError) as exc:
            raise RecordError(f"record {row}: not a JSON object ({exc})") from exc
        if not isinstance(data, dict):
            raise RecordError(f"record {row}: not a JSON object")
        given = kinds_given[row] if kinds_given is not None else None
        explicit = data.pop("kind", None) if isinstance(data.get("kind"), str) else None
        try:
            name = given or explicit
            spec = kind(name) if name else kind_of_record(data)
        except UnknownKindError as exc:
            raise RecordError(f"record {row}: kind: {exc}") from exc
        try:
            record = spec.record.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "record"
            raise RecordError(f"record {row}: {field}: {err['msg']}") from exc
        cases = by_kind.setdefault(spec.name, [])
        order.append((spec.name, len(cases)))
        cases.append(record)
    return by_kind, order


class MizugiwaModel(PythonModel):
    """The scorer as an MLflow pyfunc (see the module doc)."""

    def load_context(self, context: Any) -> None:
        """Load the scorer (refusing other features) and the trafficking database."""
        from mizugiwa.features.context_factory import read_lookups
        from mizugiwa.models.loader import load_scorer_file

        self.scorer = load_scorer_file(context.artifacts["scorer"])
        tipdb = context.artifacts.get("tipdb")
        self.lookups = read_lookups(tipdb=Path(tipdb) if tipdb else None)

    def predict(self, context, model_input, params=None):  # MLflow reads no type hints here
        """Score the records of ``model_input`` (see :func:`predict_frame`)."""
        return predict_frame(self.scorer, self.lookups, model_input)


def score_records(scorer: Any, lookups: Any, by_kind: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Score records grouped by kind together (see the module doc): Score rows per kind."""
    from mizugiwa.features.context_factory import feature_context
    from mizugiwa.features.kinds import kinds

    specs = [spec for spec in kinds() if spec.name in by_kind]
    batches = {spec.name: spec.batch(by_kind[spec.name]) for spec in specs if spec.feeds_history}
    ctx = feature_context(lookups, batches=batches.values())
    out: dict[str, list[Any]] = {}
    for spec in specs:
        linked = None
        if spec.link is not None:
            other = spec.link.kind
            linked = {scorer_id(other, r): r for r in by_kind.get(other, [])}
        out[spec.name] = scorer.score_cases(spec.name, by_kind[spec.name], ctx, linked=linked)
    return out


def scorer_id(kind_name: str, record: Any) -> str:
    from mizugiwa.features.kinds import kind

    return kind(kind_name).case_id(record)


def predict_frame(scorer: Any, lookups: Any, model_input: Any) -> Any:
    """Score a DataFrame of JSON records (column ``record``, optional ``kind``) into the output
    columns."""
    import pandas as pd

    kinds_given = None
    if isinstance(model_input, pd.DataFrame):
        if "record" not in model_input.columns:
            raise RecordError("input needs a column 'record' holding each record's JSON")
        texts = model_input["record"].tolist()
        if "kind" in model_input.columns:
            kinds_given = [k if isinstance(k, str) and k else None for k in model_input["kind"]]
    else:
        texts = list(model_input)
    by_kind, order = parse_records(texts, kinds_given)
    scores = score_records(scorer, lookups, by_kind)
    rows = []
    for name, position in order:
        s = scores[name][position]
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
