"""Resources as Twilio's JSON: snake_case fields, RFC 2822 dates, relative `uri`s.

Every key here must be a property of the resource's schema in Twilio's OpenAPI
description; tests/sandbox_carrier/test_carrier_contract.py holds the carrier to that.
"""

from ..domain.records import API_VERSION, Call, Media, Message, OwnedNumber
from ..domain.timestamps import rfc2822
from ..domain.twilio_errors import error_message
from ..phone_numbers.e164 import friendly_name
from ..phone_numbers.inventory import AvailableNumber

ALL_CAPABILITIES = {"voice": True, "sms": True, "mms": True, "fax": False}


def account_path(account_sid: str) -> str:
    return f"/2010-04-01/Accounts/{account_sid}"


def message_json(message: Message) -> dict:
    uri = f"{account_path(message.account_sid)}/Messages/{message.sid}"
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.date_created),
        "date_sent": rfc2822(message.date_sent),
        "date_updated": rfc2822(message.date_updated),
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": error_message(message.error_code) if message.error_code else None,
        "from": message.from_number,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(len(message.media_urls) if message.is_outbound else len(message.media)),
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": message.to,
        "uri": f"{uri}.json",
    }


def media_path(media: Media) -> str:
    """Where the medium's bytes are (its JSON is at the same path plus `.json`)."""
    return f"{account_path(media.account_sid)}/Messages/{media.message_sid}/Media/{media.sid}"


def media_json(media: Media) -> dict:
    return {
        "account_sid": media.account_sid,
        "content_type": media.content_type,
        "date_created": rfc2822(media.date_created),
        "date_updated": rfc2822(media.date_created),
        "parent_sid": media.message_sid,
        "sid": media.sid,
        "uri": f"{media_path(media)}.json",
    }


def owned_number_json(owned: OwnedNumber) -> dict:
    return {
        "account_sid": owned.account_sid,
        "address_requirements": "none",
        "address_sid": None,
        "api_version": API_VERSION,
        "beta": False,
        "capabilities": dict(ALL_CAPABILITIES),
        "date_created": rfc2822(owned.date_created),
        "date_updated": rfc2822(owned.date_updated),
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "friendly_name": owned.friendly_name,
        "identity_sid": None,
        "origin": "twilio",
        "phone_number": owned.phone_number,
        "sid": owned.sid,
        "sms_application_sid": None,
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": owned.sms_method,
        "sms_url": owned.sms_url or "",
        "status_callback": owned.status_callback or "",
        "status_callback_method": "POST",
        "trunk_sid": None,
        "uri": f"{account_path(owned.account_sid)}/IncomingPhoneNumbers/{owned.sid}.json",
        "voice_application_sid": None,
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": "",
        "voice_method": owned.voice_method,
        "voice_url": owned.voice_url or "",
        "bundle_sid": None,
        "voice_receive_mode": "voice",
        "status": "in-use",
        "type": "local",
    }


def available_number_json(offered: AvailableNumber) -> dict:
    return {
        "friendly_name": friendly_name(offered.phone_number),
        "phone_number": offered.phone_number,
        "lata": None,
        "locality": offered.place.locality,
        "rate_center": offered.place.locality.upper() if offered.place.locality else None,
        "latitude": None,
        "longitude": None,
        "region": offered.place.region,
        "postal_code": None,
        "iso_country": "US",
        "address_requirements": "none",
        "beta": False,
        "capabilities": dict(ALL_CAPABILITIES),
    }


def call_json(call: Call) -> dict:
    uri = f"{account_path(call.account_sid)}/Calls/{call.sid}"
    return {
        "sid": call.sid,
        "date_created": rfc2822(call.date_created),
        "date_updated": rfc2822(call.date_updated),
        "parent_call_sid": None,
        "account_sid": call.account_sid,
        "to": call.to,
        "to_formatted": friendly_name(call.to),
        "from": call.from_number,
        "from_formatted": friendly_name(call.from_number),
        "phone_number_sid": call.phone_number_sid,
        "status": call.status,
        "start_time": rfc2822(call.start_time),
        "end_time": rfc2822(call.end_time),
        "duration": str(call.duration_seconds) if call.duration_seconds is not None else None,
        "price": None,
        "price_unit": "USD",
        "direction": call.direction,
        "answered_by": None,
        "api_version": API_VERSION,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"{uri}.json",
        "subresource_uris": {
            "notifications": f"{uri}/Notifications.json",
            "recordings": f"{uri}/Recordings.json",
            "events": f"{uri}/Events.json",
        },
    }
