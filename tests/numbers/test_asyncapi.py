from services.numbers import asyncapi


def test_checked_in_asyncapi_document_matches_the_code():
    assert asyncapi.DOCUMENT.read_text() == asyncapi.render(), "run: python -m services.numbers.asyncapi"
