"""The service as `python -m services.numbers` wires it: the app's lifespan connects Twilio
(the sandbox here) before consumers start, and a user who asked early gets a number."""

from services.numbers.adapters.twilio_carrier import TwilioCarrier
from services.numbers.bootstrap import create_app
from shared import topics
from tests.numbers.builders import user_created
from tests.numbers.conftest import drop_database, numbers_settings
from tests.support.kafka import produce, start_group_at_end
from tests.support.waiting import eventually


async def test_the_app_lifespan_wires_the_real_carrier(infra, run_id, sandbox_carrier_url, account_id):
    settings = numbers_settings(
        infra, database=f"numbers_wiring_{run_id}", consumer_group=f"numbers-wiring-{run_id}", carrier_url=sandbox_carrier_url
    )
    await start_group_at_end(
        settings.kafka_bootstrap_servers, settings.consumer_group, [topics.USER_CREATED], namespace=settings.kafka_topic_namespace
    )
    app = create_app(settings)
    ports = app.state.ports
    user = user_created(account_id, area_code="415", eager=True)
    try:
        async with app.router.lifespan_context(app):
            assert isinstance(ports.carrier, TwilioCarrier)
            await produce(settings.kafka_bootstrap_servers, user, namespace=settings.kafka_topic_namespace)

            async def active():
                line = await ports.lines.get(f"{account_id}:{user.data.user.user_id}")
                return line if line and line.state == "active" else None

            line = await eventually(active, timeout=20, what="number bought through the app's own carrier")
            assert line.phone_number.startswith("+1415")
        assert ports.carrier is None
    finally:
        await drop_database(settings.mongo_url, settings.database)
