from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str | None:
    """The user's saved language, else the one picked this session, else the browser's."""
    if not has_request_context():  # CLI, tests calling operations: the default locale
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(list(languages))
