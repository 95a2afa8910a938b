"""The carrier against Twilio's official OpenAPI description (../shared/twilio-oai or $TWILIO_OAI_DIR).

Every request parameter the carrier accepts must be one Twilio declares for that operation, and
every JSON field it returns must be a declared property of the response schema, of the declared
type (and enum value). A field Twilio doesn't have fails the test. A missing description fails
it too: there is no skip.
"""

import base64
import json
from collections.abc import Iterator

import pytest

from services.sandbox_carrier.app import create_app
from services.sandbox_carrier.twilio_reference import OAI_DIR_VARIABLE, load_api_v2010, twilio_oai_dir
from tests.support.images import GIF, PNG

TWILIO_PREFIX = "/2010-04-01/"
MESSAGING_PREFIX = "/v1/"
MESSAGING_V1_FILE = "twilio_messaging_v1.json"
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict,
              "array": list}


def load_messaging_v1() -> dict:
    """Twilio's messaging.twilio.com/v1 description (A2P 10DLC); a missing file is an error, never a skip."""
    path = twilio_oai_dir() / MESSAGING_V1_FILE
    if not path.is_file():
        raise FileNotFoundError(f"Twilio's Messaging API description is not at {path}; set {OAI_DIR_VARIABLE}")
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def twilio_spec() -> dict:
    """Both of Twilio's descriptions the carrier serves, as one: their paths and schemas do not overlap."""
    rest, messaging = load_api_v2010(), load_messaging_v1()
    return {
        "paths": {**rest["paths"], **messaging["paths"]},
        "components": {
            kind: {**rest.get("components", {}).get(kind, {}), **messaging.get("components", {}).get(kind, {})}
            for kind in {*rest.get("components", {}), *messaging.get("components", {})}
        },
    }


@pytest.fixture(scope="module")
def carrier_operations(carrier_settings) -> dict[tuple[str, str], dict]:
    """The Twilio operations the carrier serves, from the OpenAPI document FastAPI builds from its routes."""
    spec = create_app(carrier_settings).openapi()
    return {(path, method): {**operation, "components": spec.get("components", {})}
            for path, operations in spec["paths"].items() if path.startswith((TWILIO_PREFIX, MESSAGING_PREFIX))
            for method, operation in operations.items()}


def resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def contract_violations(value, schema: dict, spec: dict, where: str = "$") -> Iterator[str]:
    """Each place where `value` strays from `schema`: undeclared fields, wrong types, unknown enum values."""
    schema = resolve(schema, spec)
    if value is None:
        if not schema.get("nullable", False) and schema.get("type"):
            yield f"{where}: null, but not nullable"
        return
    expected = JSON_TYPES.get(schema.get("type"))
    if expected and (not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool)):
        yield f"{where}: {type(value).__name__}, but the schema says {schema['type']}"
        return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} is not one of {schema['enum']}"
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                yield f"{where}.{key}: not a property Twilio declares"
            else:
                yield from contract_violations(item, schema["properties"][key], spec, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from contract_violations(item, schema["items"], spec, f"{where}[{index}]")


def success_response(operation: dict) -> tuple[str, dict | None]:
    code = next(code for code in operation["responses"] if code.startswith("2"))
    content = operation["responses"][code].get("content", {}).get("application/json")
    return code, content["schema"] if content else None


def test_a_missing_description_is_an_error_not_a_skip(monkeypatch, tmp_path):
    monkeypatch.setenv(OAI_DIR_VARIABLE, str(tmp_path))

    with pytest.raises(FileNotFoundError, match=OAI_DIR_VARIABLE):
        load_api_v2010()
    with pytest.raises(FileNotFoundError, match=OAI_DIR_VARIABLE):
        load_messaging_v1()


def test_the_carrier_serves_the_twilio_operations_the_product_uses(carrier_operations):
    assert {operation["operationId"] for operation in carrier_operations.values()} == {
        "CreateMessage", "FetchMessage", "ListMessage", "ListAvailablePhoneNumberLocal",
        "CreateIncomingPhoneNumber", "ListIncomingPhoneNumber", "FetchIncomingPhoneNumber",
        "UpdateIncomingPhoneNumber", "DeleteIncomingPhoneNumber", "CreateCall", "FetchCall",
        "CreateBrandRegistrations", "FetchBrandRegistrations", "ListBrandRegistrations", "CreateService",
        "FetchService", "ListService", "CreatePhoneNumber", "ListPhoneNumber", "CreateUsAppToPerson",
        "FetchUsAppToPerson", "ListUsAppToPerson", "ListMedia", "FetchMedia",
    }


def test_every_operation_path_method_and_success_status_is_twilios(carrier_operations, twilio_spec):
    for (path, method), ours in carrier_operations.items():
        theirs = twilio_spec["paths"].get(path, {}).get(method)
        assert theirs is not None, f"Twilio has no {method.upper()} {path}"
        assert ours["operationId"] == theirs["operationId"]
        assert success_response(ours)[0] in theirs["responses"], f"{ours['operationId']} answers an undeclared status"


def test_every_accepted_request_parameter_is_declared_by_twilio(carrier_operations, twilio_spec):
    undeclared = []
    for (path, method), ours in carrier_operations.items():
        theirs = twilio_spec["paths"][path][method]
        declared = {(p["in"], p["name"]) for p in (resolve(p, twilio_spec) for p in theirs.get("parameters", []))}
        undeclared += [f"{ours['operationId']}: {p['in']} {p['name']}"
                       for p in ours.get("parameters", []) if (p["in"], p["name"]) not in declared]
        form = ours.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded")
        if form:
            accepted = resolve(form["schema"], ours)["properties"]
            declared_form = resolve(theirs["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
                                    twilio_spec)["properties"]
            undeclared += [f"{ours['operationId']}: form {name}" for name in accepted if name not in declared_form]
    assert undeclared == []


async def test_every_response_field_is_declared_by_twilio(control, receiver, carrier_operations, twilio_spec,
                                                          carrier_settings):
    samples = await exercise_every_operation(control, receiver, carrier_settings.account_sid)
    samples |= await exercise_every_messaging_operation(control, samples["CreateIncomingPhoneNumber"][0].json())

    assert set(samples) == {operation["operationId"] for operation in carrier_operations.values()}
    violations = []
    for (path, method), ours in carrier_operations.items():
        status, schema = success_response(twilio_spec["paths"][path][method])
        for sample in samples[ours["operationId"]]:
            assert str(sample.status_code) == status, f"{ours['operationId']}: {sample.status_code} {sample.text}"
            if schema is None:
                assert sample.content == b""
                continue
            violations += [f"{ours['operationId']} {v}" for v in contract_violations(sample.json(), schema,
                                                                                     twilio_spec)]
    assert violations == []


def test_the_checker_catches_a_field_twilio_does_not_have(twilio_spec):
    schema = {"$ref": "#/components/schemas/api.v2010.account.message"}
    message = {"sid": "SM" + "0" * 32, "status": "queued", "num_segments": "1", "error_code": None}

    assert list(contract_violations(message, schema, twilio_spec)) == []
    assert list(contract_violations({**message, "carrier_note": "x"}, schema, twilio_spec)) == [
        "$.carrier_note: not a property Twilio declares"]
    assert list(contract_violations({**message, "num_segments": 1}, schema, twilio_spec)) == [
        "$.num_segments: int, but the schema says string"]
    assert list(contract_violations({**message, "status": "lost"}, schema, twilio_spec))


async def exercise_every_operation(control, receiver, account_sid: str) -> dict[str, list]:
    """Calls each Twilio operation the carrier serves, in the states worth seeing; answers by operationId."""
    base = f"/2010-04-01/Accounts/{account_sid}"
    samples: dict[str, list] = {}

    async def call(operation_id: str, method: str, path: str, **kwargs):
        response = await control.request(method, base + path, **kwargs)
        samples.setdefault(operation_id, []).append(response)
        return response

    await call("ListAvailablePhoneNumberLocal", "GET", "/AvailablePhoneNumbers/US/Local.json",
               params={"AreaCode": 512, "PageSize": 3})
    await call("ListAvailablePhoneNumberLocal", "GET", "/AvailablePhoneNumbers/US/Local.json",
               params={"InRegion": "DC", "Contains": "2**", "SmsEnabled": "true", "VoiceEnabled": "true"})
    hooks = {"SmsUrl": receiver.url("/sms"), "VoiceUrl": receiver.url("/voice")}
    ours = (await call("CreateIncomingPhoneNumber", "POST", "/IncomingPhoneNumbers.json",
                       data={"AreaCode": "512", "FriendlyName": "contract", **hooks})).json()
    spare = (await call("CreateIncomingPhoneNumber", "POST", "/IncomingPhoneNumbers.json",
                        data={"AreaCode": "303"})).json()
    await call("UpdateIncomingPhoneNumber", "POST", f"/IncomingPhoneNumbers/{ours['sid']}.json",
               data={"SmsMethod": "GET", "StatusCallback": receiver.url("/number-status")})
    await call("FetchIncomingPhoneNumber", "GET", f"/IncomingPhoneNumbers/{ours['sid']}.json")
    await call("ListIncomingPhoneNumber", "GET", "/IncomingPhoneNumbers.json", params={"PageSize": 1, "Page": 1})
    await call("DeleteIncomingPhoneNumber", "DELETE", f"/IncomingPhoneNumbers/{spare['sid']}.json")

    await control.post("/sandbox/behaviours", json={"phone_number": "+17372345679", "error_code": 30007})
    sent = []
    for recipient in ("+17372345678", "+17372345679"):
        sent.append((await call("CreateMessage", "POST", "/Messages.json", data={
            "To": recipient, "From": ours["phone_number"], "Body": "contract",
            "StatusCallback": receiver.url("/status")})).json())
    await receiver.wait_for("/status", 4)
    receiver.answer("/photo.png", body=PNG, media_type="image/png")
    mms = (await call("CreateMessage", "POST", "/Messages.json", data={
        "To": "+17372345680", "From": ours["phone_number"], "Body": "", "MediaUrl": [receiver.url("/photo.png")],
        "StatusCallback": receiver.url("/status")})).json()
    sent.append(mms)
    await receiver.wait_for("/status", 6)
    [fetched] = (await call("ListMedia", "GET", f"/Messages/{mms['sid']}/Media.json", params={"PageSize": 5})).json()["media_list"]
    await call("FetchMedia", "GET", f"/Messages/{mms['sid']}/Media/{fetched['sid']}.json")
    received = (await control.post("/sandbox/inbound-messages", json={
        "from": "+17372345681", "to": ours["phone_number"], "body": "look",
        "media": [{"content_type": "image/gif", "content_base64": base64.b64encode(GIF).decode()}]})).json()
    await call("ListMedia", "GET", f"/Messages/{received['message_sid']}/Media.json")
    await call("FetchMessage", "GET", f"/Messages/{received['message_sid']}.json")
    for message in sent:
        await call("FetchMessage", "GET", f"/Messages/{message['sid']}.json")
    await call("ListMessage", "GET", "/Messages.json", params={"From": ours["phone_number"], "PageSize": 1, "Page": 1})

    placed = (await call("CreateCall", "POST", "/Calls.json", data={
        "To": "+17372345678", "From": ours["phone_number"], "Url": receiver.url("/bridge"),
        "StatusCallback": receiver.url("/call-status")})).json()
    await receiver.wait_for("/call-status", 1)
    await call("FetchCall", "GET", f"/Calls/{placed['sid']}.json")
    return samples


BUNDLE = "BU" + "a" * 32
A2P_PROFILE = "BU" + "b" * 32


async def exercise_every_messaging_operation(control, owned_number: dict) -> dict[str, list]:
    """Calls each Messaging API operation the carrier serves: brand, service, its numbers, the campaign."""
    samples: dict[str, list] = {}

    async def call(operation_id: str, method: str, path: str, **kwargs):
        response = await control.request(method, path, **kwargs)
        samples.setdefault(operation_id, []).append(response)
        return response

    brand = (await call("CreateBrandRegistrations", "POST", "/v1/a2p/BrandRegistrations", data={
        "CustomerProfileBundleSid": BUNDLE, "A2PProfileBundleSid": A2P_PROFILE})).json()
    await call("FetchBrandRegistrations", "GET", f"/v1/a2p/BrandRegistrations/{brand['sid']}")
    await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review", json={"status": "APPROVED"})
    await call("FetchBrandRegistrations", "GET", f"/v1/a2p/BrandRegistrations/{brand['sid']}")
    await call("ListBrandRegistrations", "GET", "/v1/a2p/BrandRegistrations", params={"PageSize": 5})

    service = (await call("CreateService", "POST", "/v1/Services", data={
        "FriendlyName": "contract", "InboundRequestUrl": "https://example.com/in", "StatusCallback": "https://example.com/st",
        "Usecase": "marketing", "UseInboundWebhookOnNumber": "true"})).json()
    await call("FetchService", "GET", f"/v1/Services/{service['sid']}")
    await call("ListService", "GET", "/v1/Services", params={"PageSize": 1})
    await call("CreatePhoneNumber", "POST", f"/v1/Services/{service['sid']}/PhoneNumbers",
               data={"PhoneNumberSid": owned_number["sid"]})
    await call("ListPhoneNumber", "GET", f"/v1/Services/{service['sid']}/PhoneNumbers", params={"PageSize": 1})

    campaign = (await call("CreateUsAppToPerson", "POST", f"/v1/Services/{service['sid']}/Compliance/Usa2p", data={
        "BrandRegistrationSid": brand["sid"], "Description": "Appointment reminders and replies from our staff to clients.",
        "MessageFlow": "Clients opt in on the booking form by ticking a box before they submit it.",
        "MessageSamples": ["Your visit is tomorrow at 10. Reply STOP to opt out.", "Thanks! See you soon. Reply STOP to opt out."],
        "UsAppToPersonUsecase": "CUSTOMER_CARE", "HasEmbeddedLinks": "false", "HasEmbeddedPhone": "false",
        "OptOutKeywords": ["STOP"], "PrivacyPolicyUrl": "https://example.com/privacy"})).json()
    campaign_path = f"/v1/Services/{service['sid']}/Compliance/Usa2p/{campaign['sid']}"
    await call("FetchUsAppToPerson", "GET", campaign_path)
    await control.post(f"/sandbox/a2p/campaigns/{campaign['sid']}/review",
                       json={"campaign_status": "FAILED", "failure_reason": "samples do not match the use case"})
    await call("FetchUsAppToPerson", "GET", campaign_path)
    await call("ListUsAppToPerson", "GET", f"/v1/Services/{service['sid']}/Compliance/Usa2p")
    await call("FetchService", "GET", f"/v1/Services/{service['sid']}")
    return samples
