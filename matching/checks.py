"""System checks: a typo in MATCHING_WEIGHTS stops the start, not every suggestion page."""

from django.core import checks


@checks.register()
def check_weights(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .services import current_weights

    try:
        current_weights()
    except Exception as error:  # whatever the validation raises, it is the setting's fault
        return [
            checks.Error(
                f"MATCHING_WEIGHTS is not valid: {error}",
                hint="Name only the components in matching.scoring.COMPONENTS, "
                "each between 0 and 1, summing to 1.",
                id="matching.E001",
            )
        ]
    return []
