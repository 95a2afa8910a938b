"""The README's "Who may do what" table and the gateway's permissions.json say what the matrices say."""

import json

from services.gateway.entrypoints.permissions import PUBLIC_PERMISSIONS
from services.permissions_table import README, permissions_by_role, public_rules, readme_with_table

REGENERATE = "regenerate with: python -m services.permissions_table"


def test_the_readme_table_is_the_one_the_matrices_give():
    readme = README.read_text()
    assert readme_with_table(readme) == readme, REGENERATE


def test_the_gateways_permissions_file_is_the_one_the_matrices_give():
    assert json.loads(PUBLIC_PERMISSIONS.read_text()) == permissions_by_role(), REGENERATE


def test_the_table_names_the_findings_as_refused_to_texters():
    texter = set(permissions_by_role()["texter"])
    for refused in (
        "PUT /api/messages/settings", "PUT /api/contacts/settings", "GET /api/contacts/export.csv",
        "PUT /api/registrations", "PUT /api/numbers/settings",
    ):
        assert refused not in texter
    notes = {rule.route: rule.note for rule in public_rules()}
    assert "never the EIN" in notes["GET /api/registrations"] and "not their cells" in notes["GET /api/users"]
