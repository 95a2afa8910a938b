"""HTTP routes for review items: the replies a texter judges in a thread."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.review_items import ReviewStore
from services.messaging.domain.commands import DecideReviewItem
from services.messaging.entrypoints.schemas import ReviewDecisionCreate, ReviewItemList, ReviewItemPublic
from services.messaging.service_layer import reviews as review_service
from shared.web import AccountCaller

router = APIRouter(prefix="/v1")


def _stores(request: Request) -> tuple[MessagingStore, ReviewStore]:
    return request.app.state.store, request.app.state.reviews


StoresDep = Annotated[tuple[MessagingStore, ReviewStore], Depends(_stores)]


@router.get("/conversations/{conversation_id}/review-items", response_model=ReviewItemList)
async def list_review_items(conversation_id: str, caller: AccountCaller, stores: StoresDep):
    """The thread's review items, oldest first, open and decided."""
    store, reviews = stores
    try:
        items = await review_service.review_items(caller.account_id, conversation_id, store=store, reviews=reviews)
    except review_service.ReviewItemNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    return ReviewItemList(conversation_id=conversation_id, review_items=[ReviewItemPublic.of(item) for item in items])


@router.post(
    "/conversations/{conversation_id}/review-items/{review_item_id}",
    response_model=ReviewItemPublic,
    responses={404: {"description": "no such item in this conversation"}, 409: {"description": "decided the other way already"}},
)
async def decide_review_item(
    conversation_id: str, review_item_id: str, payload: ReviewDecisionCreate, caller: AccountCaller, stores: StoresDep, request: Request
):
    """Decide an item: `opt_out` / `not_opt_out` for a reply that may revoke consent (texts held
    for it go out, or are skipped, at once), `wrong_number` / `not_wrong_number` for a wrong-number
    suggestion (`wrong_number` tags the phone Wrong Number)."""
    store, reviews = stores
    command = DecideReviewItem(
        account_id=caller.account_id,
        user_id=caller.user_id,
        conversation_id=conversation_id,
        review_item_id=review_item_id,
        decision=payload.decision,
    )
    try:
        item = await review_service.decide(command, store=store, reviews=reviews, at=request.app.state.clock())
    except review_service.ReviewItemNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    except review_service.InvalidDecision as error:
        return JSONResponse(status_code=422, content={"detail": "invalid request", "errors": [{"field": "decision", "problem": str(error)}]})
    except review_service.AlreadyDecided as error:
        return JSONResponse(status_code=409, content={"detail": str(error), "review_item": ReviewItemPublic.of(error.item).model_dump(mode="json")})
    request.app.state.runtime.relay.kick()
    return ReviewItemPublic.of(item)
