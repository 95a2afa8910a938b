"""Sandbox control of A2P review: decide a brand's or a campaign's outcome, see everything."""

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel, model_validator

from ..domain.timestamps import utc_now
from ..twilio_api.auth import require_credentials
from .records import A2PRegistry
from .routes import RegistryDep

router = APIRouter(prefix="/sandbox/a2p", dependencies=[Depends(require_credentials)], tags=["Sandbox control"])


class BrandReview(BaseModel):
    status: Literal["PENDING", "IN_REVIEW", "APPROVED", "FAILED"]
    failure_reason: str | None = None

    @model_validator(mode="after")
    def reason_when_failed(self) -> "BrandReview":
        if self.status == "FAILED" and not self.failure_reason:
            raise ValueError("a FAILED review needs a failure_reason")
        return self


class CampaignReview(BaseModel):
    campaign_status: Literal["PENDING", "IN_PROGRESS", "VERIFIED", "FAILED"]
    failure_reason: str | None = None

    @model_validator(mode="after")
    def reason_when_failed(self) -> "CampaignReview":
        if self.campaign_status == "FAILED" and not self.failure_reason:
            raise ValueError("a FAILED review needs a failure_reason")
        return self


@router.post("/brands/{sid}/review")
async def review_brand(sid: str, review: BrandReview, a2p: RegistryDep) -> dict:
    brand = a2p.brands.get(sid)
    if brand is None:
        raise HTTPException(404, f"no brand registration {sid}")
    brand.status, brand.failure_reason, brand.date_updated = review.status, review.failure_reason, utc_now()
    if review.status == "APPROVED":
        brand.tcr_id = "B" + sid[-6:].upper()
    return asdict(brand)


@router.post("/campaigns/{sid}/review")
async def review_campaign(sid: str, review: CampaignReview, a2p: RegistryDep) -> dict:
    campaign = a2p.campaigns.get(sid)
    if campaign is None:
        raise HTTPException(404, f"no US A2P campaign {sid}")
    campaign.campaign_status, campaign.failure_reason = review.campaign_status, review.failure_reason
    campaign.date_updated = utc_now()
    if review.campaign_status == "VERIFIED":
        campaign.campaign_id = "C" + sid[-6:].upper()
    return asdict(campaign)


@router.get("")
async def read_a2p(a2p: RegistryDep) -> dict:
    return {
        "brands": [asdict(b) for b in a2p.brands.values()],
        "services": [_service_entry(s) for s in a2p.services.values()],
        "campaigns": [asdict(c) for c in a2p.campaigns.values()],
    }


@router.delete("", status_code=204)
async def reset_a2p(a2p: RegistryDep) -> Response:
    a2p.clear()
    return Response(status_code=204)


def _service_entry(service) -> dict:
    entry = asdict(service)
    entry["phone_numbers"] = [number.phone_number for number in service.phone_numbers.values()]
    return entry


__all__ = ["router", "A2PRegistry"]
