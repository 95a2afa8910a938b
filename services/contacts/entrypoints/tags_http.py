"""HTTP routes of the account's tags: list (system tags first), create, rename or
recolour, delete."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from services.contacts.adapters.tags import MongoTagRegistry
from services.contacts.domain.model import Actor
from services.contacts.entrypoints.schemas import TagChanged, TagCreate, TagPublic, TagUpdate
from services.contacts.service_layer import tags
from services.contacts.service_layer.ports import Ports
from shared.web import AccountCaller

router = APIRouter(prefix="/v1/tags", tags=["tags"])


def _ports(request: Request) -> Ports:
    return request.app.state.ports


def _registry(request: Request) -> MongoTagRegistry:
    return request.app.state.ports.tags


PortsDep = Annotated[Ports, Depends(_ports)]
RegistryDep = Annotated[MongoTagRegistry, Depends(_registry)]


@router.get("", response_model=list[TagPublic])
async def list_tags(caller: AccountCaller, registry: RegistryDep) -> list[TagPublic]:
    return [TagPublic.model_validate(tag) for tag in await tags.list_tags(caller.account_id, registry=registry)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TagPublic)
async def create_tag(body: TagCreate, caller: AccountCaller, registry: RegistryDep, ports: PortsDep) -> TagPublic:
    return TagPublic.model_validate(await tags.create_tag(caller.account_id, body.name, body.color, registry=registry, ports=ports))


@router.patch("/{tag_id}", response_model=TagChanged)
async def change_tag(tag_id: str, body: TagUpdate, caller: AccountCaller, registry: RegistryDep, ports: PortsDep) -> TagChanged:
    """Rename (every contact carrying the tag changes, each emitting contact.updated) and/or recolour."""
    change = await tags.change_tag(
        caller.account_id, tag_id, name=body.name, color=body.color, color_sent="color" in body.model_fields_set,
        actor=Actor(user_id=caller.user_id), registry=registry, ports=ports,
    )
    return TagChanged.model_validate({**change.tag, "contacts_changed": change.contacts_changed})


@router.delete("/{tag_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_tag(tag_id: str, caller: AccountCaller, registry: RegistryDep, ports: PortsDep) -> Response:
    """Delete the tag; every contact carrying it is untagged (contact.untagged each)."""
    await tags.delete_tag(caller.account_id, tag_id, actor=Actor(user_id=caller.user_id), registry=registry, ports=ports)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
