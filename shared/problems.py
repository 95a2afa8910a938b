"""The shapes of error answers every service gives, declared once for the OpenAPI document."""

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    field: str = Field(description="Where the bad value was: `body.first_name`, `query.limit`, `path.contact_id`")
    problem: str = Field(description="What is wrong with it, in words")


class ValidationProblem(BaseModel):
    """A 422: the request was refused as a whole and nothing was written."""

    model_config = ConfigDict(extra="allow")

    detail: str = Field(description="What was refused, e.g. `invalid request`")
    errors: list[FieldProblem] = Field(default_factory=list, description="Each bad field, when the refusal names fields")


class Problem(BaseModel):
    """Any other 4xx or 5xx answer."""

    model_config = ConfigDict(extra="allow")

    detail: str
