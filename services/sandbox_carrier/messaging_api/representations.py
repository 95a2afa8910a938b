"""Brand registrations, services, their phone numbers and campaigns as Twilio's Messaging API renders them.

Every key must be a property Twilio's messaging v1 description declares; the contract test holds us to it."""

from ..domain.timestamps import utc_now
from .records import Brand, Campaign, MessagingService, ServicePhoneNumber

MESSAGING_BASE = "https://messaging.twilio.com/v1"


def iso(moment) -> str:
    return (moment or utc_now()).strftime("%Y-%m-%dT%H:%M:%SZ")


def brand_json(brand: Brand) -> dict:
    url = f"{MESSAGING_BASE}/a2p/BrandRegistrations/{brand.sid}"
    return {
        "sid": brand.sid,
        "account_sid": brand.account_sid,
        "customer_profile_bundle_sid": brand.customer_profile_bundle_sid,
        "a2p_profile_bundle_sid": brand.a2p_profile_bundle_sid,
        "date_created": iso(brand.date_created),
        "date_updated": iso(brand.date_updated),
        "brand_type": brand.brand_type,
        "status": brand.status,
        "tcr_id": brand.tcr_id,
        "failure_reason": brand.failure_reason,
        "errors": [{"code": 30795, "description": brand.failure_reason}] if brand.failure_reason else [],
        "url": url,
        "brand_score": 75 if brand.status == "APPROVED" else None,
        "brand_feedback": None,
        "identity_status": "VERIFIED" if brand.status == "APPROVED" else "UNVERIFIED",
        "russell_3000": False,
        "government_entity": False,
        "tax_exempt_status": None,
        "skip_automatic_sec_vet": False,
        "mock": brand.mock,
        "links": {"brand_vettings": f"{url}/Vettings", "brand_registration_otps": f"{url}/SmsOtp"},
    }


def service_json(service: MessagingService, *, campaign_registered: bool) -> dict:
    url = f"{MESSAGING_BASE}/Services/{service.sid}"
    return {
        "sid": service.sid,
        "account_sid": service.account_sid,
        "friendly_name": service.friendly_name,
        "date_created": iso(service.date_created),
        "date_updated": iso(service.date_updated),
        "inbound_request_url": service.inbound_request_url,
        "inbound_method": service.inbound_method,
        "fallback_url": None,
        "fallback_method": "POST",
        "status_callback": service.status_callback,
        "sticky_sender": True,
        "mms_converter": True,
        "smart_encoding": True,
        "scan_message_content": "inherit",
        "fallback_to_long_code": False,
        "area_code_geomatch": True,
        "synchronous_validation": False,
        "validity_period": 14400,
        "url": url,
        "links": {
            "phone_numbers": f"{url}/PhoneNumbers",
            "us_app_to_person": f"{url}/Compliance/Usa2p",
            "us_app_to_person_usecases": f"{url}/Compliance/Usa2p/Usecases",
        },
        "usecase": service.usecase,
        "us_app_to_person_registered": campaign_registered,
        "use_inbound_webhook_on_number": service.use_inbound_webhook_on_number,
    }


def service_number_json(number: ServicePhoneNumber) -> dict:
    return {
        "sid": number.sid,
        "account_sid": number.account_sid,
        "service_sid": number.service_sid,
        "date_created": iso(number.date_created),
        "date_updated": iso(number.date_created),
        "phone_number": number.phone_number,
        "country_code": "US",
        "capabilities": ["SMS", "Voice", "MMS"],
        "url": f"{MESSAGING_BASE}/Services/{number.service_sid}/PhoneNumbers/{number.sid}",
    }


def campaign_json(campaign: Campaign) -> dict:
    return {
        "sid": campaign.sid,
        "account_sid": campaign.account_sid,
        "brand_registration_sid": campaign.brand_registration_sid,
        "messaging_service_sid": campaign.messaging_service_sid,
        "description": campaign.description,
        "message_samples": list(campaign.message_samples),
        "us_app_to_person_usecase": campaign.us_app_to_person_usecase,
        "has_embedded_links": campaign.has_embedded_links,
        "has_embedded_phone": campaign.has_embedded_phone,
        "subscriber_opt_in": True,
        "age_gated": False,
        "direct_lending": False,
        "campaign_status": campaign.campaign_status,
        "campaign_id": campaign.campaign_id,
        "is_externally_registered": False,
        "rate_limits": {"att": {"mps": 4, "msg_class": "T"}, "tmobile": {"brand_tier": "LOW"}},
        "message_flow": campaign.message_flow,
        "opt_in_message": campaign.opt_in_message,
        "opt_out_message": campaign.opt_out_message,
        "help_message": campaign.help_message,
        "opt_in_keywords": campaign.opt_in_keywords,
        "opt_out_keywords": campaign.opt_out_keywords,
        "help_keywords": campaign.help_keywords,
        "date_created": iso(campaign.date_created),
        "date_updated": iso(campaign.date_updated),
        "url": f"{MESSAGING_BASE}/Services/{campaign.messaging_service_sid}/Compliance/Usa2p/{campaign.sid}",
        "mock": False,
        "errors": [{"code": 30896, "description": campaign.failure_reason}] if campaign.failure_reason else [],
    }
