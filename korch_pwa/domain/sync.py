"""Pure helpers of the sync API: error paths and per-item result bodies."""


def flatten_errors(messages, prefix=""):
    """Turn marshmallow's nested error dict into a list of {field, reason}.

    ``{"changes": {1: {"mine": {"score": ["Not a valid integer."]}}}}`` with
    prefix ``items.0`` becomes ``[{"field": "items.0.changes.1.mine.score",
    "reason": "Not a valid integer."}]``, sorted by field for stable output.
    """
    found = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.extend(flatten_errors(value, path))
    elif isinstance(messages, (list, tuple)):
        if all(isinstance(m, str) for m in messages):
            found.extend({"field": prefix, "reason": m} for m in messages)
        else:
            for message in messages:
                found.extend(flatten_errors(message, prefix))
    else:
        found.append({"field": prefix, "reason": str(messages)})
    return sorted(found, key=lambda e: e["field"])


def change_field(changes, field, prefix):
    """Map a service's ``answers.<code>`` field to the item's change path.

    The service names an indicator; the client needs the position in the
    ``changes`` list it sent, e.g. ``items.0.changes.1.mine.score``.
    """
    if not field or not field.startswith("answers."):
        return f"{prefix}.{field}" if field else prefix
    code = field[len("answers."):]
    for index, change in enumerate(changes):
        if change.indicator == code:
            return f"{prefix}.changes.{index}.mine.score"
    return f"{prefix}.changes"


def answer_json(answer):
    """Return a merge.Answer as a JSON object."""
    return {"score": answer.score, "note": answer.note}


def conflict_json(conflict):
    """Return a merge.Conflict with its three values, for a person to choose."""
    return {"indicator": conflict.indicator, "base": answer_json(conflict.base),
            "mine": answer_json(conflict.mine), "theirs": answer_json(conflict.theirs)}


def error_result(client_id, status_code, code, message, field=None, detail=None):
    """Return the result of an item the server refused."""
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    if detail is not None:
        error["detail"] = detail
    return {"client_id": client_id, "status": "error", "status_code": status_code,
            "error": error}
