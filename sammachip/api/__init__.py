"""The REST API under /api/v1/ (docs/api.md): every app's records, read through the same
``visible_to(user)`` as the pages, and a visit logged through the visit form's code path.
It lives in the top layer because it reads every app."""
